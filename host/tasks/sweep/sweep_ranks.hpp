// The processes a sweep runs on (docs/sweep.md, "Many ranks and GPUs"): the MPI ranks when
// glassland was built with MPI (CMake option GLASSLAND_WITH_MPI) and `glassland sweep` was started
// by an MPI launcher (mpirun, mpiexec, srun --mpi=pmix), else this one process.
//
// MPI starts before Kokkos, because each rank's device is chosen at Kokkos's initialisation: when
// the Kokkos backend has devices (CUDA, HIP), rank r of a node (its rank in
// MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)) takes device r mod (devices the node shows it), given
// to Kokkos as --kokkos-device-id, an argument Kokkos 3.4 and 4.x both read. A host backend gets
// one core per rank (OMP_NUM_THREADS=1 unless set).
//
// Points are handed out by a WorkCounter: an MPI-3 passive-target fetch-and-add on a counter in
// rank 0's memory (MPI_Fetch_and_op), so a rank that finishes a point takes the next one and no
// rank is a coordinator only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace glassland {

class SweepRanks {
 public:
  // Looks at the program's arguments (program_args[1] is the sub-command): for `sweep` under an
  // MPI launcher, initialises MPI and appends this rank's --kokkos-device-id to kokkos_args
  // (unless one is given), which must then go to Kokkos's initialisation. For anything else, one
  // process. Never throws (it runs before main's error handling): a start that would have every
  // process run every point (several processes but no MPI group: glassland built without MPI, or
  // srun without an MPI plugin) is kept as startup_error() for the sweep command to report.
  SweepRanks(const std::vector<char*>& program_args, std::vector<char*>& kokkos_args);
  ~SweepRanks();  // MPI_Finalize, after Kokkos has finalised (declare it before Kokkos's guard)
  SweepRanks(const SweepRanks&) = delete;
  SweepRanks& operator=(const SweepRanks&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  // "rank 1 of 4 on node7, CUDA device 1" or "one process on node7, host backend".
  const std::string& description() const { return description_; }
  const std::string& host() const { return host_; }
  const std::string& device() const { return device_; }
  // Why this start cannot run a sweep ("" when it can).
  const std::string& startup_error() const { return startup_error_; }

  // Rank 0's text, on every rank.
  std::string broadcast(const std::string& text) const;
  void barrier() const;
  // Stops every rank (MPI_Abort): for a rank that cannot go on once the others wait for it.
  [[noreturn]] void abort(int code) const;

  // The next index of a shared sequence 0, 1, 2, ...: each value is returned to exactly one rank.
  // Created and destroyed collectively (every rank, in the same order).
  class WorkCounter {
   public:
    explicit WorkCounter(const SweepRanks& ranks);
    ~WorkCounter();
    WorkCounter(const WorkCounter&) = delete;
    WorkCounter& operator=(const WorkCounter&) = delete;
    int64_t next();

   private:
    struct Window;
    std::unique_ptr<Window> window_;
    int64_t local_ = 0;  // one process: the counter itself
  };

 private:
  void start_mpi(std::vector<char*>& kokkos_args);
  void choose_device(int local_rank, std::vector<char*>& kokkos_args);

  bool mpi_ = false;
  int rank_ = 0;
  int size_ = 1;
  std::string host_, device_, description_, startup_error_;
  std::string device_argument_;  // storage of the --kokkos-device-id argument
};

}  // namespace glassland
