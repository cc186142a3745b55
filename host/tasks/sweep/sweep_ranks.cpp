#include "host/tasks/sweep/sweep_ranks.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <Kokkos_Core.hpp>

#if defined(KOKKOS_ENABLE_CUDA)
#include <cuda_runtime_api.h>
#elif defined(KOKKOS_ENABLE_HIP)
#include <hip/hip_runtime_api.h>
#endif

#ifdef GLASSLAND_HAVE_MPI
#include <mpi.h>
#endif

namespace glassland {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// How many processes the launcher says it started (1 when none is known): Open MPI's mpirun,
// MPICH/Hydra and srun's PMI plugins, MVAPICH, and srun itself (SLURM_NTASKS within a job step).
int launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE"}) {
    const std::string value = environment(name);
    if (!value.empty())
      return std::atoi(value.c_str());
  }
  if (!environment("SLURM_STEP_ID").empty() && !environment("SLURM_NTASKS").empty())
    return std::atoi(environment("SLURM_NTASKS").c_str());
  return 1;
}

// Whether an MPI launcher started this process (then MPI_Init finds its peers).
bool started_by_mpi_launcher() {
  if (environment("GLASSLAND_MPI") == "0")
    return false;
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "MV2_COMM_WORLD_RANK"})
    if (!environment(name).empty())
      return true;
  return false;
}

std::string host_name() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0)
    return "unknown host";
  return name;
}

// Devices of the Kokkos backend this process can see (0 for a host backend).
int visible_devices() {
#if defined(KOKKOS_ENABLE_CUDA)
  int n = 0;
  return cudaGetDeviceCount(&n) == cudaSuccess ? n : 0;
#elif defined(KOKKOS_ENABLE_HIP)
  int n = 0;
  return hipGetDeviceCount(&n) == hipSuccess ? n : 0;
#else
  return 0;
#endif
}

const char* device_backend() {
#if defined(KOKKOS_ENABLE_CUDA)
  return "CUDA";
#elif defined(KOKKOS_ENABLE_HIP)
  return "HIP";
#else
  return "host";
#endif
}

bool device_chosen_on_command_line(const std::vector<char*>& kokkos_args) {
  for (const char* a : kokkos_args)
    for (const char* option :
         {"--kokkos-device-id", "--kokkos-num-devices", "--kokkos-map-device-id-by"})
      if (std::strncmp(a, option, std::strlen(option)) == 0)
        return true;
  return false;
}

}  // namespace

SweepRanks::SweepRanks(const std::vector<char*>& program_args, std::vector<char*>& kokkos_args)
    : host_(host_name()) {
  const bool sweep = program_args.size() > 1 && std::strcmp(program_args[1], "sweep") == 0;
  if (sweep && started_by_mpi_launcher())
    start_mpi(kokkos_args);
  if (!mpi_)
    device_ = std::string(device_backend()) + (visible_devices() > 0 ? " default device" : "");
  if (sweep && !mpi_ && launcher_size() > 1)
    startup_error_ =
#ifdef GLASSLAND_HAVE_MPI
        "started as one of " + std::to_string(launcher_size()) +
        " processes without an MPI launcher's process group (srun without --mpi=pmix or "
        "--mpi=pmi2?); each would run every point: start it through MPI, or as one process";
#else
        "started as one of " + std::to_string(launcher_size()) +
        " processes, but this glassland was built without MPI (GLASSLAND_WITH_MPI=OFF, or no "
        "libopenmpi-dev when it was configured), so each would run every point: rebuild with "
        "MPI, or run one process";
#endif
  description_ = (size_ > 1 ? "rank " + std::to_string(rank_) + " of " + std::to_string(size_)
                            : std::string("one process")) +
                 " on " + host_ + ", " + device_;
}

#ifdef GLASSLAND_HAVE_MPI

void SweepRanks::start_mpi(std::vector<char*>& kokkos_args) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized)
    MPI_Init(nullptr, nullptr);
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  int local_rank = 0;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &local_rank);
  MPI_Comm_free(&node);
  choose_device(local_rank, kokkos_args);
  if (size_ == 1 && launcher_size() > 1)
    startup_error_ = "MPI sees one process but the launcher started " +
                     std::to_string(launcher_size()) +
                     " (srun without --mpi=pmix or --mpi=pmi2?); each would run every point";
}

SweepRanks::~SweepRanks() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (mpi_ && !finalized)
    MPI_Finalize();
}

std::string SweepRanks::broadcast(const std::string& text) const {
  if (!mpi_)
    return text;
  uint64_t length = text.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::string out = rank_ == 0 ? text : std::string(length, '\0');
  MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
}

void SweepRanks::barrier() const {
  if (mpi_)
    MPI_Barrier(MPI_COMM_WORLD);
}

void SweepRanks::abort(int code) const {
  if (mpi_)
    MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);  // MPI_Abort does not return either, but is not declared so
}

struct SweepRanks::WorkCounter::Window {
  MPI_Win window = MPI_WIN_NULL;
  int64_t* value = nullptr;
};

SweepRanks::WorkCounter::WorkCounter(const SweepRanks& ranks) {
  if (!ranks.mpi_)
    return;
  window_ = std::make_unique<Window>();
  const MPI_Aint bytes = ranks.is_root() ? sizeof(int64_t) : 0;
  MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &window_->value,
                   &window_->window);
  if (ranks.is_root()) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window_->window);
    *window_->value = 0;
    MPI_Win_unlock(0, window_->window);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

SweepRanks::WorkCounter::~WorkCounter() {
  if (window_)
    MPI_Win_free(&window_->window);
}

int64_t SweepRanks::WorkCounter::next() {
  if (!window_)
    return local_++;
  const int64_t one = 1;
  int64_t taken = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, window_->window);
  MPI_Fetch_and_op(&one, &taken, MPI_INT64_T, 0, 0, MPI_SUM, window_->window);
  MPI_Win_unlock(0, window_->window);
  return taken;
}

#else  // one process

void SweepRanks::start_mpi(std::vector<char*>&) {}

SweepRanks::~SweepRanks() = default;

std::string SweepRanks::broadcast(const std::string& text) const {
  return text;
}

void SweepRanks::barrier() const {}

void SweepRanks::abort(int code) const {
  std::exit(code);
}

struct SweepRanks::WorkCounter::Window {};

SweepRanks::WorkCounter::WorkCounter(const SweepRanks&) {}

SweepRanks::WorkCounter::~WorkCounter() = default;

int64_t SweepRanks::WorkCounter::next() {
  return local_++;
}

#endif

void SweepRanks::choose_device(int local_rank, std::vector<char*>& kokkos_args) {
  if (device_chosen_on_command_line(kokkos_args)) {
    device_ = std::string(device_backend()) + " device as given by --kokkos-*";
    return;
  }
  const int devices = visible_devices();
  if (devices <= 0) {
    // A host backend: one core per rank (Kokkos's OpenMP backend would otherwise take them all in
    // every rank); the Serial backend uses one anyway.
    setenv("OMP_NUM_THREADS", "1", 0);
    device_ = "host backend, one core";
    return;
  }
  const int id = local_rank % devices;
  device_argument_ = "--kokkos-device-id=" + std::to_string(id);
  kokkos_args.push_back(device_argument_.data());
  device_ = std::string(device_backend()) + " device " + std::to_string(id) + " of " +
            std::to_string(devices) + " (node-local rank " + std::to_string(local_rank) + ")";
}

}  // namespace glassland
