// `glassland run` with task metad (issue 4 item 5): summary.json in the issue's shape with
// numbers consistent with each other, results.h5 per-tracer groups, HILLS files, batch
// invariance of a tracer's CV series, exact restart after SIGKILL, the inherent structures
// before and after the event (recomputed here with minimize_copies), the cluster-RMSD CV end to
// end, and input errors naming the JSON path.
//
// The run is a 432-atom B2-built Cu50Zr50 at 2000 K (it melts within the first picoseconds, so
// hops come within a few hundred steps) with fast deposition (every 10 steps, w0 0.05 eV) and a
// short dwell (0.2 ps) and prominence (0.1 eV), so events are found in 800 steps (all three
// tracers, measured); three tracers on copies of one structure (build seeds [3, 3, 3]), stopped
// after their first event, checkpoints every 100 steps, a trajectory frame every 10 steps.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "host/io/atomic_file.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/json_input.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "host/io/setfl_potential.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_system.hpp"
#include "tests/support/h5md_frames.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using testing::read_text_file;
using testing::start_glassland;
using testing::wait_for_exit;

constexpr double kBoltzmann = 8.617333262e-5;  // eV/K, CODATA 2018 (kernels/units.hpp)

std::string metad_input(const std::string& directory, const std::string& seeds,
                        const std::string& atom_ids, int steps, const std::string& extra = "") {
  return R"({
  "task": "metad",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": )" +
         seeds + R"(}},
  "metad": {
    "temperature": 2000, "steps": )" +
         std::to_string(steps) + R"(, "thermostat": {"tau": 0.05},
    "tracers": {"atom_ids": )" +
         atom_ids + R"(},
    "pace": 10, "sigma": 0.3, "height": 0.05, "bias_temperature": 6000,
    "event_dwell": 0.2, "event_prominence": 0.1, "stop_after_first_event": true, "nu0": 2e12)" +
         extra + R"(
  },
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 10, "trajectory_stride": 10,
             "checkpoint_stride": 100, "quiet": true}
})";
}

// docs/tasks.md names every key the run used, as `path`.
void check_every_key_is_documented(const std::string& out) {
  testing::expect_every_key_documented(out + "/effective_input.json", "docs/tasks.md", 30u);
}

// The three-tracer run, done once for the tests that read it; its wall time in seconds.
double batch_run_seconds = 0.0;
const std::string& batch_run_directory() {
  static const std::string directory = [] {
    const std::string dir = testing::make_scratch_dir("metad_task_batch");
    std::ofstream(dir + "/input.json")
        << metad_input(dir + "/out", "[3, 3, 3]", "[20, 96, 200]", 800);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(wait_for_exit(start_glassland({"run", dir + "/input.json"})), 0);
    batch_run_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return dir + "/out";
  }();
  return directory;
}

void check_summary_has_the_issue_shape_and_consistent_numbers(const std::string& out) {
  ASSERT_TRUE(fs::exists(out + "/summary.json"));
  const auto summary = nlohmann::json::parse(read_text_file(out + "/summary.json"));
  EXPECT_EQ(summary.size(), 5u);  // issue 4's four keys and pressure_bar
  EXPECT_DOUBLE_EQ(summary.at("temperature_K").get<double>(), 2000.0);
  EXPECT_TRUE(summary.at("pressure_bar").is_null());  // no NPT equilibration: none imposed
  const auto& tracers = summary.at("tracers");
  ASSERT_EQ(tracers.size(), 3u);
  const std::vector<int> ids{20, 96, 200};
  std::vector<double> barriers;
  for (size_t k = 0; k < tracers.size(); ++k) {
    const auto& t = tracers[k];
    // issue 4's eight keys, left_grid, failed, and the conditions: temperature_K, pressure_bar
    // and atomic_volume_A3 (the B2 lattice as built, 3.26³/2 Å³ per atom: NVT from the start).
    EXPECT_EQ(t.size(), 13u) << t.dump();
    EXPECT_FALSE(t.at("failed").get<bool>());  // issue 16: no tracer blew up
    EXPECT_EQ(t.at("temperature_K").get<double>(), 2000.0);
    EXPECT_TRUE(t.at("pressure_bar").is_null());
    EXPECT_NEAR(t.at("atomic_volume_A3").get<double>(), 3.26 * 3.26 * 3.26 / 2, 1e-9);
    EXPECT_EQ(t.at("atom_id").get<int>(), ids[k]);
    EXPECT_FALSE(t.at("left_grid").get<bool>());  // the default 10 Å grid
    const std::string species = t.at("species").get<std::string>();
    EXPECT_TRUE(species == "Cu" || species == "Zr") << species;
    if (!t.at("event_found").get<bool>()) {
      for (const char* key :
           {"barrier_eV", "hop_distance_A", "collective_displacement_A", "n_moved", "rate_per_s"})
        EXPECT_TRUE(t.at(key).is_null()) << key;
      continue;
    }
    const double barrier = t.at("barrier_eV").get<double>();
    const double a = t.at("hop_distance_A").get<double>();
    const double dr = t.at("collective_displacement_A").get<double>();
    barriers.push_back(barrier);
    EXPECT_GT(barrier, 0.0);
    EXPECT_LT(barrier, 5.0);
    // TST rate recomputed here: ν = ν0 exp(−ΔG/k_B T) with the input's ν0 = 2e12 s⁻¹.
    EXPECT_NEAR(
        t.at("rate_per_s").get<double>() / (2e12 * std::exp(-barrier / (kBoltzmann * 2000))), 1.0,
        1e-12);
    EXPECT_GT(a, 0.3);  // the next basin lies beyond the initial one (CV ≥ 0, starts at 0)
    // The tracer itself moved by about a between the inherent structures, so |Δr| (which
    // includes it) is not much smaller; half of a leaves room for the minimisation's relaxation.
    EXPECT_GE(dr, 0.5 * a);
    EXPECT_GE(t.at("n_moved").get<int>(), 1);
  }
  ASSERT_FALSE(barriers.empty()) << "no tracer found an event in 800 steps at 2000 K";
  const double lowest = *std::min_element(barriers.begin(), barriers.end());
  const double highest = *std::max_element(barriers.begin(), barriers.end());
  const double para = summary.at("barrier_parallel_eV").get<double>();
  const double seq = summary.at("barrier_sequential_eV").get<double>();
  // Jensen: min ≤ ΔG_para ≤ ΔG_seq ≤ max (SPEC.md §6).
  EXPECT_GE(para, lowest - 1e-12);
  EXPECT_LE(para, seq + 1e-12);
  EXPECT_LE(seq, highest + 1e-12);
  EXPECT_TRUE(fs::exists(out + "/effective_input.json"));
  const auto effective = nlohmann::json::parse(read_text_file(out + "/effective_input.json"));
  EXPECT_EQ(effective.at("metad").at("pace").get<int>(), 10);
  EXPECT_DOUBLE_EQ(effective.at("metad").at("grid_spacing").get<double>(), 0.01);
}

void check_results_hold_one_group_per_tracer_consistent_with_the_summary(const std::string& out) {
  const auto summary = nlohmann::json::parse(read_text_file(out + "/summary.json"));
  hdf5::File file = hdf5::File::open_read_only(out + "/results.h5");
  EXPECT_TRUE(file.exists("observables"));  // thermo of the biased run (SegmentedResults)
  const auto grid = file.dataset("tracers/grid_s").read<double>();
  ASSERT_EQ(grid.size(), 1001u);  // 0..10 Å at 0.01 Å
  for (int r = 0; r < 3; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    const auto& t = summary["tracers"][r];
    EXPECT_EQ(file.dataset(g + "atom_id").read<int64_t>()[0], t["atom_id"].get<int64_t>());
    EXPECT_EQ(file.dataset(g + "species").read_strings()[0], t["species"].get<std::string>());
    const auto steps = file.dataset(g + "cv/step").read<int64_t>();
    const auto values = file.dataset(g + "cv/value").read<double>();
    ASSERT_EQ(steps.size(), values.size());
    ASSERT_GE(steps.size(), 2u);
    EXPECT_EQ(values[0], 0.0);  // hop distance from the start of sampling
    for (size_t k = 0; k < steps.size(); ++k)
      EXPECT_EQ(steps[k], static_cast<int64_t>(10 * k));
    EXPECT_EQ(file.dataset(g + "bias/value").read<double>().size(), steps.size());
    const auto centers = file.dataset(g + "hills/center").read<double>();
    const auto heights = file.dataset(g + "hills/height").read<double>();
    ASSERT_FALSE(centers.empty());
    EXPECT_EQ(centers.size(), heights.size());
    for (double h : heights)
      EXPECT_LE(h, 0.05 + 1e-15);  // well-tempered heights never exceed w0
    const auto f = file.dataset(g + "fes/F").read<double>();
    ASSERT_EQ(f.size(), grid.size());
    EXPECT_EQ(*std::min_element(f.begin(), f.end()), 0.0);
    const auto moved = file.dataset(g + "moved_atoms").read<int64_t>();
    const int64_t event_step = file.dataset(g + "event_step").read<int64_t>()[0];
    if (t["event_found"].get<bool>()) {
      EXPECT_EQ(static_cast<int>(moved.size()), t["n_moved"].get<int>());
      EXPECT_NEAR(file.dataset(g + "barrier_eV").read<double>()[0], t["barrier_eV"].get<double>(),
                  1e-15);
      EXPECT_GT(event_step, 0);
      // Stopped after the event: no sample after the step at which it was confirmed.
      const int64_t confirmed = file.dataset(g + "event_confirmed_step").read<int64_t>()[0];
      EXPECT_GE(confirmed, event_step);
      EXPECT_LE(steps.back(), confirmed);
    } else {
      EXPECT_EQ(event_step, -1);
      EXPECT_TRUE(moved.empty());
      EXPECT_EQ(steps.back(), 800);
    }
    std::snprintf(name, sizeof name, "/HILLS_%04d", r);
    const std::string hills = read_text_file(out + name);
    EXPECT_EQ(hills.rfind("#! FIELDS time hop sigma_hop height biasf", 0), 0u)
        << hills.substr(0, 80);
  }
}

// Atom 200 alone (replica 0); in the batch it is replica 2. The lone run also asks for ν0 from
// the FES curvature, which does not change the dynamics, so it is checked on the same run: the
// barrier equals the batch's (same hills), ν0 = (1/2π) sqrt(k/m) recomputed here in SI units
// with the curvature it reports and Zr's mass in CuZr_mm.eam.fs (91.224 amu), the rate uses it,
// and it lies where an atom's vibration in a metallic liquid does (0.5–10 THz).
void check_a_tracers_cv_series_does_not_depend_on_the_other_tracers(const std::string& batch) {
  const std::string dir = testing::make_scratch_dir("metad_task_alone");
  std::ofstream(dir + "/input.json")
      << metad_input(dir + "/out", "[3]", "[200]", 800, R"(, "attempt_frequency": "curvature")");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/input.json"})), 0);
  hdf5::File alone = hdf5::File::open_read_only(dir + "/out/results.h5");
  hdf5::File together = hdf5::File::open_read_only(batch + "/results.h5");
  const auto a = alone.dataset("tracers/tracer_0000/cv/value").read<double>();
  const auto b = together.dataset("tracers/tracer_0002/cv/value").read<double>();
  ASSERT_GE(a.size(), 10u);
  ASSERT_EQ(b.size(), a.size());  // both stopped at the same confirmation
  for (size_t k = 0; k < a.size(); ++k)
    ASSERT_EQ(a[k], b[k]) << "sample " << k;  // bitwise
  const auto ha = alone.dataset("tracers/tracer_0000/hills/height").read<double>();
  const auto hb = together.dataset("tracers/tracer_0002/hills/height").read<double>();
  ASSERT_EQ(ha.size(), hb.size());
  for (size_t k = 0; k < ha.size(); ++k)
    ASSERT_EQ(ha[k], hb[k]) << "hill " << k;

  const auto summary = nlohmann::json::parse(read_text_file(dir + "/out/summary.json"));
  const auto& t = summary["tracers"][0];
  ASSERT_TRUE(t["event_found"].get<bool>());
  const double barrier = t["barrier_eV"].get<double>();
  EXPECT_EQ(barrier, together.dataset("tracers/tracer_0002/barrier_eV").read<double>()[0]);
  const std::string g = "tracers/tracer_0000/";
  ASSERT_EQ(alone.dataset(g + "attempt_frequency_from").read_strings()[0], "curvature");
  const double k = alone.dataset(g + "curvature_eV_per_A2").read<double>()[0];
  const double nu0 = alone.dataset(g + "attempt_frequency_per_s").read<double>()[0];
  ASSERT_GT(k, 0.0);
  const double expected =
      std::sqrt(k * 1.602176634e-19 / 1e-20 / (91.224 * 1.66053906660e-27)) / (2.0 * M_PI);
  EXPECT_NEAR(nu0, expected, 1e-12 * expected);
  EXPECT_GT(nu0, 5e11);
  EXPECT_LT(nu0, 1e13);
  const double rate = nu0 * std::exp(-barrier / (kBoltzmann * 2000));
  EXPECT_NEAR(t["rate_per_s"].get<double>() / rate, 1.0, 1e-12);
  EXPECT_NEAR(alone.dataset(g + "rate_per_s").read<double>()[0] / rate, 1.0, 1e-12);
}

// Replica r of `like` with the positions and images of a kept configuration: the input of the
// minimisation the task did for it.
BatchSnapshot one_replica(const BatchSnapshot& like, int r, const std::vector<double>& positions,
                          const std::vector<int>& images) {
  BatchSnapshot s;
  s.n_replicas = 1;
  s.n_atoms = like.n_atoms;
  const size_t n = like.n_atoms, first = static_cast<size_t>(r) * n;
  s.boxes = {like.boxes[r]};
  s.positions = positions;
  s.images = images;
  s.velocities.assign(3 * n, 0.0);
  s.forces.assign(3 * n, 0.0);
  s.elements.assign(like.elements.begin() + first, like.elements.begin() + first + n);
  s.ids.assign(like.ids.begin() + first, like.ids.begin() + first + n);
  s.potential_energy = {0.0};
  s.virial.assign(6, 0.0);
  return s;
}

// Item 3 of issue 4: the inherent structure "before" is the minimisation of the configuration
// kept last before the event started, "after" that of the configuration at which the event was
// confirmed. Oracles: the H5MD trajectory frames at the stated steps (the kept configurations
// are those of the run), minimize_copies called here on them (the inherent structures), and
// |Δr| and the moved atoms recomputed by brute force from the two inherent structures.
void check_inherent_structures_before_and_after_the_event(const std::string& out) {
  const auto summary = nlohmann::json::parse(read_text_file(out + "/summary.json"));
  hdf5::File file = hdf5::File::open_read_only(out + "/results.h5");
  hdf5::File frames = hdf5::File::open_read_only(out + "/trajectory.h5md");
  InputObject input(
      parse_json_text(
          R"({"system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [3, 3, 3]}}})",
          "input.json"),
      "input.json", out);
  auto system = read_task_system(input, 3);
  const BatchSnapshot initial = snapshot(system->batch);
  const int n_atoms = initial.n_atoms;
  // The task's documented FIRE settings (metad.minimize defaults).
  MinimizeSettings fire;
  fire.method = "fire";
  fire.force_norm = ForceNorm::max_atom;
  fire.etol = {0.0};
  fire.ftol = {1e-3};
  fire.max_iterations = {5000};
  fire.max_evaluations = {50000};
  int checked = 0;
  for (int r = 0; r < 3; ++r) {
    const auto& t = summary["tracers"][r];
    if (!t["event_found"].get<bool>())
      continue;
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    const int64_t event_step = file.dataset(g + "event_step").read<int64_t>()[0];
    const int64_t confirmed = file.dataset(g + "event_confirmed_step").read<int64_t>()[0];
    const int64_t before_step = file.dataset(g + "before_structure_step").read<int64_t>()[0];
    const int64_t after_step = file.dataset(g + "after_structure_step").read<int64_t>()[0];
    EXPECT_EQ(file.dataset(g + "before_structure_from").read_strings()[0], "snapshot");
    // Kept every pace = 10 steps; the CV is sampled every 10 steps: the last sample before the
    // event's first one is at event_step − 10, and a configuration was kept there.
    EXPECT_EQ(before_step, event_step - 10);
    EXPECT_EQ(after_step, confirmed);

    std::snprintf(name, sizeof name, "particles/replica_%04d/", r);
    const std::string p = name;
    const auto frame_steps = frames.dataset(p + "position/step").read<int64_t>();
    const auto frame_positions = frames.dataset(p + "position/value").read<double>();
    const auto frame_images = frames.dataset(p + "image/value").read<int>();
    std::vector<double> box_before;
    std::vector<double> is[2];
    for (int side = 0; side < 2; ++side) {
      const std::string prefix = g + (side == 0 ? "before_structure/" : "after_structure/");
      const int64_t at = side == 0 ? before_step : after_step;
      const auto positions = file.dataset(prefix + "positions").read<double>();
      const auto images = file.dataset(prefix + "images").read<int>();
      ASSERT_EQ(positions.size(), 3u * n_atoms);
      const auto frame = std::find(frame_steps.begin(), frame_steps.end(), at);
      ASSERT_NE(frame, frame_steps.end()) << "no trajectory frame at step " << at;
      const size_t first = static_cast<size_t>(frame - frame_steps.begin()) * 3 * n_atoms;
      EXPECT_EQ(positions, std::vector<double>(frame_positions.begin() + first,
                                               frame_positions.begin() + first + 3 * n_atoms))
          << prefix << " is not the configuration at step " << at;
      EXPECT_EQ(images, std::vector<int>(frame_images.begin() + first,
                                         frame_images.begin() + first + 3 * n_atoms));
      const MinimizedCopies m =
          minimize_copies(*system, one_replica(initial, r, positions, images), {0}, fire);
      is[side] = file.dataset(prefix + "minimized_positions").read<double>();
      // Bitwise: the same minimiser on the same configuration (its replicas are independent,
      // so minimising it alone or in the task's batch of copies gives the same numbers).
      EXPECT_EQ(m.minimized.positions, is[side]) << prefix;
      box_before = file.dataset(prefix + "box").read<double>();
    }
    // |Δr| = sqrt(Σ |Δr_i|²), minimum image in the (orthogonal, NVT) box; moved: |Δr_i| > 0.5 Å.
    ASSERT_EQ(box_before.size(), 9u);
    EXPECT_EQ(box_before[6], 0.0);
    EXPECT_EQ(box_before[7], 0.0);
    EXPECT_EQ(box_before[8], 0.0);
    double sum = 0.0;
    int moved = 0;
    for (int i = 0; i < n_atoms; ++i) {
      double d2 = 0.0;
      for (int k = 0; k < 3; ++k) {
        double d = is[1][3 * i + k] - is[0][3 * i + k];
        d -= box_before[3 + k] * std::round(d / box_before[3 + k]);
        d2 += d * d;
      }
      sum += d2;
      moved += std::sqrt(d2) > 0.5;
    }
    EXPECT_NEAR(t["collective_displacement_A"].get<double>(), std::sqrt(sum),
                1e-12 * std::sqrt(sum));
    EXPECT_EQ(t["n_moved"].get<int>(), moved);
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

// Kills a run of the batch input at several moments, each after a new checkpoint, restarts it,
// and requires every output to equal the uninterrupted run's bitwise.
TEST(MetadTask, KilledAndRestartedRunEndsBitwiseWhereTheUninterruptedRunEnds) {
  const std::string straight = batch_run_directory();
  const std::string dir = testing::make_scratch_dir("metad_task_restart");
  std::ofstream(dir + "/input.json")
      << metad_input(dir + "/out", "[3, 3, 3]", "[20, 96, 200]", 800);
  const std::string checkpoint = dir + "/out/checkpoint.h5";
  int kills = 0, resumable = 0;
  bool finished = false;
  std::vector<std::string> arguments{"run", dir + "/input.json"};
  for (double fraction : {0.0, 0.1, 0.03}) {
    const bool had = fs::exists(checkpoint);
    const auto previous = had ? fs::last_write_time(checkpoint) : fs::file_time_type{};
    const pid_t pid = start_glassland(arguments);
    bool exited = false;
    for (;;) {  // until a new checkpoint is on disk (written atomically), or the run ended
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        ASSERT_EQ(status, 0);
        break;
      }
      if (fs::exists(checkpoint) && (!had || fs::last_write_time(checkpoint) != previous))
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (exited) {  // the run ended before another checkpoint: it is complete
      finished = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * batch_run_seconds));
    if (kill(pid, SIGKILL) == 0)
      ++kills;
    wait_for_exit(pid);
    resumable += fs::exists(checkpoint);
    arguments = {"run", dir + "/input.json", "--restart"};
  }
  if (!finished)
    ASSERT_EQ(wait_for_exit(start_glassland(arguments)), 0);
  EXPECT_GE(kills, 1);
  EXPECT_GE(resumable, 1);  // at least one restart continued from a checkpoint
  const std::string killed = dir + "/out";
  EXPECT_FALSE(fs::exists(checkpoint));
  EXPECT_FALSE(fs::exists(killed + "/results.parts"));

  EXPECT_EQ(read_text_file(straight + "/summary.json"), read_text_file(killed + "/summary.json"));
  for (const char* hills : {"/HILLS_0000", "/HILLS_0001", "/HILLS_0002"})
    EXPECT_EQ(read_text_file(straight + hills), read_text_file(killed + hills)) << hills;
  const hdf5::File a = hdf5::File::open_read_only(straight + "/results.h5");
  const hdf5::File b = hdf5::File::open_read_only(killed + "/results.h5");
  for (const char* observable :
       {"temperature", "potential_energy", "pressure", "conserved_energy"}) {
    const std::string path = std::string("observables/") + observable;
    EXPECT_EQ(a.dataset(path + "/step").read<int64_t>(), b.dataset(path + "/step").read<int64_t>());
    EXPECT_EQ(a.dataset(path + "/value").read<double>(), b.dataset(path + "/value").read<double>())
        << observable;
  }
  for (int r = 0; r < 3; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    for (const char* series : {"cv/step", "hills/step", "event_step", "before_structure_step"})
      EXPECT_EQ(a.dataset(g + series).read<int64_t>(), b.dataset(g + series).read<int64_t>())
          << g << series;
    for (const char* series :
         {"cv/value", "bias/value", "hills/time", "hills/center", "hills/height", "fes/F"})
      EXPECT_EQ(a.dataset(g + series).read<double>(), b.dataset(g + series).read<double>())
          << g << series;
    if (a.exists(g + "before_structure"))
      for (const char* structure :
           {"before_structure/minimized_positions", "after_structure/minimized_positions"})
        EXPECT_EQ(a.dataset(g + structure).read<double>(), b.dataset(g + structure).read<double>())
            << g << structure;
    std::snprintf(name, sizeof name, "particles/replica_%04d/position/value", r);
    EXPECT_EQ(
        hdf5::File::open_read_only(straight + "/trajectory.h5md").dataset(name).read<double>(),
        hdf5::File::open_read_only(killed + "/trajectory.h5md").dataset(name).read<double>())
        << name;
  }
}

// The recrossing stage (metad.transmission): κ and κ·rate in summary.json and results.h5 for the
// tracers with an event, null for the others; and a run killed in the stage, after a round of
// shots, resumes from transmission_checkpoint.h5 (without sampling again) and ends bitwise where
// the uninterrupted run ends. (κ itself is validated against Kramers' theory in
// tests/cv/test_transmission_coefficient.cpp and against MD in tests/slow.)
TEST(MetadTask, TransmissionStageReportsKappaAndResumesBitwiseAfterAKill) {
  const std::string dir = testing::make_scratch_dir("metad_task_transmission");
  const std::string shots = R"(, "transmission": {"shots": 12, "equilibration_steps": 100,
    "decorrelation_steps": 20, "max_shot_time": 1.0})";
  std::ofstream(dir + "/straight.json")
      << metad_input(dir + "/straight", "[3, 3, 3]", "[20, 96, 200]", 800, shots);
  std::ofstream(dir + "/killed.json")
      << metad_input(dir + "/killed", "[3, 3, 3]", "[20, 96, 200]", 800, shots);
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/straight.json"})), 0);
  EXPECT_FALSE(fs::exists(dir + "/straight/transmission_checkpoint.h5"));

  // Kill the second run once its stage has checkpointed a round (the file is written at the
  // stage's start and after every round, atomically).
  const std::string stage = dir + "/killed/transmission_checkpoint.h5";
  const pid_t pid = start_glassland({"run", dir + "/killed.json"});
  bool exited = false, seen = false;
  fs::file_time_type first{};
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (fs::exists(stage)) {
      const auto now = fs::last_write_time(stage);
      if (!seen) {
        seen = true;
        first = now;
      } else if (now != first) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(exited) << "the run ended before its stage checkpointed a round";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  wait_for_exit(pid);
  ASSERT_TRUE(fs::exists(stage));
  EXPECT_FALSE(fs::exists(dir + "/killed/checkpoint.h5"));  // sampling was complete
  EXPECT_GE(Checkpoint::read(stage).get_int64("shots/done"), 1);
  // A resumed stage does not sample again: the sampling's outputs stay as they are.
  const auto hills_written = fs::last_write_time(dir + "/killed/HILLS_0000");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/killed.json", "--restart"})), 0);
  EXPECT_EQ(fs::last_write_time(dir + "/killed/HILLS_0000"), hills_written);
  EXPECT_FALSE(fs::exists(stage));

  const std::string a_summary = read_text_file(dir + "/straight/summary.json");
  EXPECT_EQ(a_summary, read_text_file(dir + "/killed/summary.json"));
  const auto summary = nlohmann::json::parse(a_summary);
  const hdf5::File a = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File b = hdf5::File::open_read_only(dir + "/killed/results.h5");
  int with_kappa = 0;
  for (int r = 0; r < 3; ++r) {
    const auto& t = summary["tracers"][r];
    // the issue's keys, left_grid, failed, 3 conditions, 4 of κ
    EXPECT_EQ(t.size(), 17u) << t.dump();
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    for (const char* data :
         {"transmission/kappa", "transmission/flux_weights", "rate_recrossing_corrected_per_s"})
      EXPECT_EQ(a.dataset(g + data).read<double>(), b.dataset(g + data).read<double>())
          << g << data;
    EXPECT_EQ(a.dataset(g + "transmission/outcomes").read<int>(),
              b.dataset(g + "transmission/outcomes").read<int>());
    if (!t["event_found"].get<bool>()) {
      EXPECT_TRUE(t["transmission_coefficient"].is_null());
      EXPECT_TRUE(t["rate_recrossing_corrected_per_s"].is_null());
      continue;
    }
    ++with_kappa;
    EXPECT_EQ(t["transmission_shots"].get<int>(), 12);
    const double kappa = t["transmission_coefficient"].get<double>();
    EXPECT_GE(kappa, 0.0);
    EXPECT_LE(kappa, 1.0);
    EXPECT_NEAR(t["rate_recrossing_corrected_per_s"].get<double>(),
                kappa * t["rate_per_s"].get<double>(), 1e-12 * t["rate_per_s"].get<double>());
    // The surface is the event's saddle, and every shot has an outcome and a flux weight.
    EXPECT_EQ(a.dataset(g + "transmission/outcomes").read<int>().size(), 12u);
    EXPECT_GT(a.dataset(g + "transmission/surface_s").read<double>()[0], 0.0);
  }
  EXPECT_GE(with_kappa, 1);
}

// The recrossing stage with the cluster-RMSD CV (the shots' configurations are put on the
// surface by Newton steps along the RMSD gradient): the three tracers of the 2000 K batch input
// as clusters, 8 shots per event (measured: tracer 200 has an event, ΔG 0.147 eV, κ 0 of 8; with
// σ 0.1 Å instead of the input's 0.3 all three have one); every event gets κ ∈ [0, 1] from 8
// recorded shots, its surface inside the grid.
TEST(MetadTask, TransmissionStageRunsWithTheClusterRmsd) {
  const std::string dir = testing::make_scratch_dir("metad_task_transmission_rmsd");
  const std::string input = metad_input(dir + "/out", "[3, 3, 3]", "[20, 96, 200]", 800,
                                        R"(, "cv": "cluster_rmsd", "grid_max": 5,
    "transmission": {"shots": 8, "equilibration_steps": 100, "decorrelation_steps": 20,
                     "max_shot_time": 1.0})");
  std::ofstream(dir + "/input.json") << input;
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/input.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const auto summary = nlohmann::json::parse(read_text_file(dir + "/out/summary.json"));
  const hdf5::File file = hdf5::File::open_read_only(dir + "/out/results.h5");
  int events = 0;
  for (int r = 0; r < 3; ++r) {
    const auto& t = summary["tracers"][r];
    if (!t["event_found"].get<bool>())
      continue;
    ++events;
    const double kappa = t["transmission_coefficient"].get<double>();
    EXPECT_GE(kappa, 0.0);
    EXPECT_LE(kappa, 1.0);
    EXPECT_EQ(t["transmission_shots"].get<int>(), 8);
    const std::string g = "tracers/tracer_000" + std::to_string(r) + "/transmission/";
    EXPECT_EQ(file.dataset(g + "outcomes").read<int>().size(), 8u);
    const double surface = file.dataset(g + "surface_s").read<double>().at(0);
    EXPECT_GT(surface, 0.0);
    EXPECT_LT(surface, 5.0);
  }
  EXPECT_GE(events, 1);
}

// The bias conserves momentum (MetadynamicsSettings::centre_of_mass_frame, which task metad
// turns on): every replica's centre of mass stays where it was, to round-off, through the biased
// sampling. A hop-distance bias acting on its tracer alone pushes the whole replica instead:
// without the mass-weighted share taken back, this run's centres of mass move by ~1e-2 Å.
void check_every_replicas_centre_of_mass_stays_in_place(const std::string& out) {
  // LAMMPS types are 1-based in the potential's element order.
  const std::vector<double> masses =
      read_setfl(potential_file("CuZr_mm.eam.fs"), SetflFormat::FinnisSinclair).masses;
  hdf5::File file = hdf5::File::open_read_only(out + "/trajectory.h5md");  // the frames' file
  for (int r = 0; r < 3; ++r) {
    const testing::UnwrappedFrames frames = testing::read_unwrapped_frames(file, r);
    ASSERT_GE(frames.positions.size(), 10u);
    std::array<double, 3> first{};
    double largest = 0.0;
    for (size_t f = 0; f < frames.positions.size(); ++f) {
      std::array<double, 3> centre{};
      double total_mass = 0.0;
      for (size_t i = 0; i < frames.species.size(); ++i) {
        const double mass = masses.at(frames.species[i] - 1);
        total_mass += mass;
        for (int k = 0; k < 3; ++k)
          centre[k] += mass * frames.positions[f][3 * i + k];
      }
      double d2 = 0.0;
      for (int k = 0; k < 3; ++k) {
        centre[k] /= total_mass;
        if (f == 0)
          first[k] = centre[k];
        d2 += (centre[k] - first[k]) * (centre[k] - first[k]);
      }
      largest = std::max(largest, std::sqrt(d2));
    }
    EXPECT_LT(largest, 1e-9) << "replica " << r << ": the centre of mass moved";
  }
}

TEST(MetadTask, TracerRunWritesTheIssueSummaryResultsAndIsBatchInvariant) {
  const std::string out = batch_run_directory();
  {
    SCOPED_TRACE("summary.json");
    check_summary_has_the_issue_shape_and_consistent_numbers(out);
  }
  {
    SCOPED_TRACE("results.h5 and HILLS");
    check_results_hold_one_group_per_tracer_consistent_with_the_summary(out);
  }
  {
    SCOPED_TRACE("inherent structures before and after the event");
    check_inherent_structures_before_and_after_the_event(out);
  }
  {
    SCOPED_TRACE("docs/tasks.md");
    check_every_key_is_documented(out);
  }
  {
    SCOPED_TRACE("batch invariance");
    check_a_tracers_cv_series_does_not_depend_on_the_other_tracers(out);
  }
  {
    SCOPED_TRACE("momentum");
    check_every_replicas_centre_of_mass_stays_in_place(out);
  }
}

// A tracer whose CV leaves its bias grid stops there and the run goes on with the others: the
// batch run again with metad.grid_max 1.8 Å, which tracers 20 and 200 pass (2.6 and 2.2 Å in the
// batch run) and tracer 96 does not (1.6 Å). The stopped tracers' CV series are prefixes of the
// batch run's (the same knots below 1.8 Å, so the same bias, bitwise) up to the last sample,
// taken after the CV left (the steps since then went without bias); tracer 96's is the batch
// run's whole series: nothing about it depends on the others leaving.
TEST(MetadTask, ATracerLeavingItsGridStopsAndTheOthersGoOnUnchanged) {
  const std::string batch = batch_run_directory();
  const std::string dir = testing::make_scratch_dir("metad_task_grid");
  std::ofstream(dir + "/input.json")
      << metad_input(dir + "/out", "[3, 3, 3]", "[20, 96, 200]", 800, R"(, "grid_max": 1.8)");
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/input.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const auto summary = nlohmann::json::parse(read_text_file(dir + "/out/summary.json"));
  hdf5::File narrow = hdf5::File::open_read_only(dir + "/out/results.h5");
  hdf5::File wide = hdf5::File::open_read_only(batch + "/results.h5");
  const std::vector<bool> leaves{true, false, true};
  for (int r = 0; r < 3; ++r) {
    SCOPED_TRACE("tracer " + std::to_string(r));
    const std::string g = "tracers/tracer_000" + std::to_string(r) + "/";
    EXPECT_EQ(summary["tracers"][r]["left_grid"].get<bool>(), leaves[r]);
    EXPECT_EQ(narrow.dataset(g + "left_grid").read<int>().at(0), leaves[r] ? 1 : 0);
    const auto a = narrow.dataset(g + "cv/value").read<double>();
    const auto b = wide.dataset(g + "cv/value").read<double>();
    ASSERT_GE(a.size(), 10u);
    size_t same = a.size();
    if (leaves[r]) {
      ASSERT_LT(a.size(), b.size());
      EXPECT_GT(a.back(), 1.8);
      EXPECT_NEAR(a.back(), b[a.size() - 1], 0.01);
      same = a.size() - 1;
    } else {
      ASSERT_EQ(a.size(), b.size());
      EXPECT_LT(*std::max_element(b.begin(), b.end()), 1.8);
    }
    for (size_t k = 0; k < same; ++k) {
      ASSERT_LE(a[k], 1.8) << "sample " << k;
      ASSERT_EQ(a[k], b[k]) << "sample " << k;  // bitwise
    }
  }
  EXPECT_NE(run.output.find("beyond metad.grid_max = 1.8 Å"), std::string::npos) << run.output;
}

// The unbiased NPT equilibration is recorded in equilibration.h5 (thermo and frames with the
// output's strides) and sampling starts from its last state: B2 at 2000 K and 1 GPa expands
// (the barostat works), and the NVT sampling's box, volume and first potential energy are the
// equilibration's last ones.
TEST(MetadTask, NptEquilibrationIsRecordedAndSamplingStartsFromItsLastState) {
  const std::string dir = testing::make_scratch_dir("metad_task_equilibration");
  std::ofstream(dir + "/input.json") << metad_input(
      dir + "/out", "[3]", "[20]", 20, R"(, "equilibration_steps": 50, "pressure": 10000)");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/input.json"})), 0);
  ASSERT_FALSE(fs::exists(dir + "/out/equilibration.parts"));
  const hdf5::File equilibration = hdf5::File::open_read_only(dir + "/out/equilibration.h5");
  const hdf5::File sampling = hdf5::File::open_read_only(dir + "/out/results.h5");
  EXPECT_EQ(equilibration.dataset("observables/volume/step").read<int64_t>(),
            (std::vector<int64_t>{0, 10, 20, 30, 40, 50}));
  const hdf5::File equilibration_frames =
      hdf5::File::open_read_only(dir + "/out/equilibration_trajectory.h5md");
  const hdf5::File sampling_frames = hdf5::File::open_read_only(dir + "/out/trajectory.h5md");
  EXPECT_EQ(equilibration_frames.dataset("particles/replica_0000/position/step").read<int64_t>(),
            (std::vector<int64_t>{0, 10, 20, 30, 40, 50}));
  const auto volume = equilibration.dataset("observables/volume/value").read<double>();
  const auto sampled_volume = sampling.dataset("observables/volume/value").read<double>();
  ASSERT_EQ(volume.size(), 6u);
  EXPECT_GT(volume.back(), 1.01 * volume.front());  // measured: 7483.5 → 7700.3 Å³
  for (double v : sampled_volume)
    EXPECT_EQ(v, volume.back());
  const auto energy = equilibration.dataset("observables/potential_energy/value").read<double>();
  const auto sampled_energy = sampling.dataset("observables/potential_energy/value").read<double>();
  ASSERT_FALSE(sampled_energy.empty());
  // Step 0 of sampling: the same configuration, no hill yet (the bias adds nothing).
  EXPECT_NEAR(sampled_energy.front(), energy.back(), 1e-9 * std::abs(energy.back()));
  const auto box =
      equilibration_frames.dataset("particles/replica_0000/box/edges/value").read<double>();
  const auto sampled_box =
      sampling_frames.dataset("particles/replica_0000/box/edges/value").read<double>();
  ASSERT_EQ(box.size(), 6u * 9u);
  ASSERT_GE(sampled_box.size(), 9u);
  EXPECT_EQ(std::vector<double>(box.end() - 9, box.end()),
            std::vector<double>(sampled_box.begin(), sampled_box.begin() + 9));
  // summary.json records the imposed pressure and the sampled volume per atom.
  const auto summary = nlohmann::json::parse(read_text_file(dir + "/out/summary.json"));
  EXPECT_EQ(summary.at("pressure_bar").get<double>(), 10000.0);
  const auto& tracer = summary.at("tracers").at(0);
  EXPECT_EQ(tracer.at("pressure_bar").get<double>(), 10000.0);
  EXPECT_EQ(tracer.at("temperature_K").get<double>(), 2000.0);
  EXPECT_NEAR(tracer.at("atomic_volume_A3").get<double>(), volume.back() / 432, 1e-9);
}

// The cluster-RMSD CV end to end (paper 001): a disordered 432-atom Cu50Zr50 (100 MD steps at
// 2000 K from B2, then minimised, so that the sampling at 300 K starts in a basin rather than
// relaxing) as a data file, two tracers. Oracles: the cluster recorded in results.h5 is the
// centre plus every atom within 4 Å of it in the data file (brute force, minimum image); the
// summary's numbers are finite where an event was found; and the bias pushes: the same run with
// a negligible hill height (1e-6 eV) reaches a lower largest RMSD for each tracer than the
// biased run (measured: 0.25 vs 0.37 Å and 0.25 vs 0.73 Å).
TEST(MetadTask, ClusterRmsdRunRecordsTheBruteForceClusterAndTheBiasPushesTheCv) {
  const std::string dir = testing::make_scratch_dir("metad_task_cluster");
  std::ofstream(dir + "/md.json") << R"({"task": "md",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 5}},
    "md": {"steps": 100, "temperature": 2000, "thermostat": {"tau": 0.05}},
    "output": {"directory": ")" + dir + R"(/md", "quiet": true}})";
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/md.json"})), 0);
  std::ofstream(dir + "/min.json") << R"({"task": "minimize",
    "system": {"structure": ")" + dir + R"(/md/final_0000.data"}, "minimize": {},
    "output": {"directory": ")" + dir + R"(/min", "quiet": true}})";
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/min.json"})), 0);
  const std::string data = dir + "/min/is_0000.data";
  auto metad = [&](const std::string& name, double height) {
    std::ofstream(dir + "/" + name + ".json") << R"({"task": "metad",
      "system": {"structure": ")" + data + R"(", "replicas": 2},
      "metad": {"temperature": 300, "steps": 600, "thermostat": {"tau": 0.05},
        "cv": "cluster_rmsd", "tracers": {"count": 2, "seed": 4},
        "pace": 10, "sigma": 0.1, "height": )" + std::to_string(height) +
                                                     R"(,
        "bias_temperature": 6000, "grid_max": 3, "event_dwell": 0.2, "event_prominence": 0.1},
      "output": {"directory": ")" + dir + "/" + name +
                                                     R"(", "thermo_stride": 10, "quiet": true}})";
    EXPECT_EQ(wait_for_exit(start_glassland({"run", dir + "/" + name + ".json"})), 0);
    return dir + "/" + name;
  };
  const std::string biased = metad("biased", 0.1);
  const std::string unbiased = metad("unbiased", 1e-6);

  const auto summary = nlohmann::json::parse(read_text_file(biased + "/summary.json"));
  EXPECT_EQ(summary.at("temperature_K").get<double>(), 300.0);
  ASSERT_EQ(summary.at("tracers").size(), 2u);
  const LammpsData structure = read_lammps_data(data);
  ASSERT_FALSE(structure.triclinic);
  const std::array<double, 3> length{structure.hi[0] - structure.lo[0],
                                     structure.hi[1] - structure.lo[1],
                                     structure.hi[2] - structure.lo[2]};
  hdf5::File file = hdf5::File::open_read_only(biased + "/results.h5");
  hdf5::File reference = hdf5::File::open_read_only(unbiased + "/results.h5");
  for (int r = 0; r < 2; ++r) {
    const auto& t = summary["tracers"][r];
    for (const char* key : {"atom_id", "species", "event_found", "barrier_eV", "hop_distance_A",
                            "collective_displacement_A", "n_moved", "rate_per_s"})
      EXPECT_TRUE(t.contains(key)) << key;
    if (t["event_found"].get<bool>())
      for (const char* key :
           {"barrier_eV", "hop_distance_A", "collective_displacement_A", "rate_per_s"})
        EXPECT_TRUE(std::isfinite(t[key].get<double>())) << key;

    // Brute-force cluster: the centre, then every atom closer than 4 Å (minimum image).
    const int64_t centre_id = t["atom_id"].get<int64_t>();
    const auto centre_it = std::find(structure.ids.begin(), structure.ids.end(), centre_id);
    ASSERT_NE(centre_it, structure.ids.end());
    const auto& c = structure.positions[centre_it - structure.ids.begin()];
    std::set<int64_t> expected{centre_id};
    for (int i = 0; i < structure.n_atoms(); ++i) {
      double d2 = 0.0;
      for (int k = 0; k < 3; ++k) {
        double d = structure.positions[i][k] - c[k];
        d -= length[k] * std::round(d / length[k]);
        d2 += d * d;
      }
      if (d2 < 16.0)
        expected.insert(structure.ids[i]);
    }
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    const auto cluster = file.dataset(g + "cv_atom_ids").read<int64_t>();
    ASSERT_FALSE(cluster.empty());
    EXPECT_EQ(cluster[0], centre_id);
    EXPECT_EQ(std::set<int64_t>(cluster.begin(), cluster.end()), expected);
    EXPECT_EQ(cluster.size(), expected.size());  // no duplicates
    EXPECT_GE(cluster.size(), 8u);               // a first shell at least

    // The bias pushes the CV: the biased tracer's RMSD reaches further than without bias. (At
    // the reference the RMSD is zero up to the round-off of the optimal-rotation eigenvalue.)
    const auto cv = file.dataset(g + "cv/value").read<double>();
    const auto cv0 = reference.dataset(g + "cv/value").read<double>();
    EXPECT_LT(cv[0], 1e-12);
    EXPECT_LT(cv0[0], 1e-12);
    const double reach = *std::max_element(cv.begin(), cv.end());
    const double reach0 = *std::max_element(cv0.begin(), cv0.end());
    std::cout << "tracer " << centre_id << ": largest RMSD biased " << reach << " Å, unbiased "
              << reach0 << " Å\n";
    EXPECT_GT(reach, reach0) << "tracer " << centre_id;
    const auto bias = file.dataset(g + "bias/value").read<double>();
    EXPECT_GT(bias.back(), 0.0);
  }
  EXPECT_EQ(read_text_file(biased + "/HILLS_0000")
                .rfind("#! FIELDS time rmsd sigma_rmsd height biasf", 0),
            0u);
}

TEST(MetadTask, InputErrorsNameTheJsonPath) {
  const std::string dir = testing::make_scratch_dir("metad_task_errors");
  auto run_with = [&](const std::string& metad, const std::string& extra = "") {
    std::ofstream(dir + "/input.json")
        << R"({"task": "metad", "system": {"build": {"cells": [6, 6, 6]}}, "output": {"directory": ")" +
               dir + R"(/out", "quiet": true}, "metad": )" + metad + "}";
    const std::string command =
        std::string(GLASSLAND_PROGRAM) + " run " + dir + "/input.json " + extra + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
      output.append(buffer, n);
    EXPECT_NE(pclose(pipe), 0) << output;
    return output;
  };
  const std::string ok = R"("temperature": 1500, "steps": 10)";
  EXPECT_NE(
      run_with("{" + ok + R"(, "sigma": -0.1})").find("metad.sigma: expected a positive number"),
      std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "cv": "rmsd"})").find("metad.cv: expected one of"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "tracer": {}})").find("metad.tracer: unknown key"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "tracers": {"atom_ids": [100000]}})")
                .find("metad.tracers.atom_ids: atom id 100000 is not in replica 0"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "bias_temperature": 1000})").find("metad.bias_temperature"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "cv": "cluster_rmsd", "attempt_frequency": "curvature"})")
                .find("metad.attempt_frequency: \"curvature\" needs cv \"hop_distance\""),
            std::string::npos);
}

}  // namespace
}  // namespace glassland
