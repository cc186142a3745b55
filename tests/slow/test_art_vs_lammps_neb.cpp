// ART nouveau barriers against LAMMPS climbing-image NEB (issue 5 acceptance): for a sample of
// successful ART events on the inherent structure of a small melt-quenched Cu50Zr50 glass (made
// here by `task: prepare`, the README's quickstart schedule for one 432-atom replica), LAMMPS `neb`
// (fix neb, 11 partitions, min_style fire, climbing image) between the initial and final minima
// must give a barrier within 0.02 eV of ART's E_saddle − E_initial, and the full finite-difference
// Hessian at ART's saddle must have exactly one negative eigenvalue.
//
// The band starts on ART's own path: the steepest-descent paths from the saddle to the initial
// and to the final minimum (computed here, not by ART), sampled at equal arc length (LAMMPS `neb
// ... each`). Started on the straight line between the minima (an earlier version of this test),
// or on the straight segments initial → saddle → final, the band relaxed on this glass to a
// different, lower path between the same two minima for most events (e.g. 0.024 eV against ART's
// 0.087 eV, with the band's 3N length shrinking from 2.19 to 1.69 Å): in a glass two minima are
// often joined by several paths, and a band relaxes to whichever is nearest to its start. That
// says nothing about ART's saddle; a band started on the path that descends from it does test
// it: LAMMPS's forces and optimiser must hold the band there and re-converge the climbing image
// onto the saddle, and the barrier must agree.
//
// Only single-saddle events can agree: when the minimum-energy path from the initial to the
// final minimum passes an intermediate minimum, the NEB barrier is the highest of several
// saddles and ART's saddle is one of them. The test therefore compares events whose NEB band
// has a single maximum (checked on LAMMPS's energy profile) and reports the others.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/lammps_data.hpp"
#include "tests/saddle/art_cuzr_structure.hpp"
#include "tests/saddle/full_hessian.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

using testing::read_text_file;

constexpr int kImages = 11;
constexpr double kSpring = 1.0;                  // eV/Å², fix neb
constexpr double kSaddleForceTolerance = 0.005;  // eV/Å, ART's saddle and LAMMPS's neb ftol

struct LammpsNeb {
  double barrier_forward = NAN;
  double max_replica_force = NAN;  // eV/Å, at the last step: converged when below the ftol
  std::vector<double> energies;
};

// A configuration as ART stores it: [i*3+k], Å, minimum-image displacements added to the initial
// minimum (so unwrapped relative to it).
using Configuration = std::vector<double>;

constexpr double kDescentStep = 0.01;             // Å, largest atomic displacement per step
constexpr double kDescentMaxScale = 0.02;         // Å²/eV, cap on the step per unit force
constexpr double kDescentForceTolerance = 0.005;  // eV/Å, end of the descent
constexpr int kDescentMaxSteps = 20000;

// Steepest-descent path from `x` into the basin it lies in (every configuration visited, `x`
// first): an approximation of the minimum-energy path's branch, independent of ART's FIRE.
std::vector<Configuration> steepest_descent_path(const art_testing::CuZrStructure& s,
                                                 Configuration x) {
  Batch batch = art_testing::batch_at(s, x);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  const int n = s.data.n_atoms();
  std::vector<Configuration> path{x};
  auto positions = Kokkos::create_mirror_view(batch.positions);
  auto images = Kokkos::create_mirror_view(batch.images);
  for (int step = 0; step < kDescentMaxSteps; ++step) {
    // The neighbour list wraps positions into the box; the path keeps its own unwrapped copy.
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k) {
        positions(i, k) = x[3 * i + k];
        images(i, k) = 0;
      }
    Kokkos::deep_copy(batch.positions, positions);
    Kokkos::deep_copy(batch.images, images);
    field.compute(batch);
    const auto forces = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.forces);
    double max_force = 0.0;
    for (int i = 0; i < n; ++i)
      max_force =
          std::max(max_force, std::sqrt(forces(i, 0) * forces(i, 0) + forces(i, 1) * forces(i, 1) +
                                        forces(i, 2) * forces(i, 2)));
    if (max_force < kDescentForceTolerance)
      break;
    const double scale = std::min(kDescentStep / max_force, kDescentMaxScale);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k)
        x[3 * i + k] += scale * forces(i, k);
    path.push_back(x);
  }
  return path;
}

double distance(const Configuration& a, const Configuration& b) {
  double sum = 0.0;
  for (size_t j = 0; j < a.size(); ++j)
    sum += (a[j] - b[j]) * (a[j] - b[j]);
  return std::sqrt(sum);
}

// The band's start: ART's path as steepest descents from the saddle, nudged by 0.05 Å (3N norm)
// towards each minimum, joined at the saddle and ended on the exact minima, then sampled at
// kImages points equally spaced in arc length (as the springs will keep them).
std::vector<Configuration> band_on_art_path(const art_testing::CuZrStructure& s,
                                            const Configuration& initial,
                                            const Configuration& saddle,
                                            const Configuration& final_state) {
  constexpr double kNudge = 0.05;
  auto nudged = [&](const Configuration& towards) {
    Configuration x = saddle;
    const double norm = distance(towards, saddle);
    for (size_t j = 0; j < x.size(); ++j)
      x[j] += kNudge * (towards[j] - saddle[j]) / norm;
    return x;
  };
  std::vector<Configuration> path{initial};
  std::vector<Configuration> backward = steepest_descent_path(s, nudged(initial));
  path.insert(path.end(), backward.rbegin(), backward.rend());
  path.push_back(saddle);
  const std::vector<Configuration> forward = steepest_descent_path(s, nudged(final_state));
  path.insert(path.end(), forward.begin(), forward.end());
  path.push_back(final_state);
  std::printf(
      "[art vs lammps neb]   descent path: %zu backward + %zu forward configurations, "
      "ends %.3f / %.3f A (3N norm) from the minima\n",
      backward.size(), forward.size(), distance(backward.back(), initial),
      distance(forward.back(), final_state));

  std::vector<double> arc{0.0};
  for (size_t p = 1; p < path.size(); ++p)
    arc.push_back(arc.back() + distance(path[p - 1], path[p]));
  std::vector<Configuration> band{initial};
  size_t p = 1;
  for (int image = 1; image + 1 < kImages; ++image) {
    const double target = arc.back() * image / (kImages - 1);
    while (arc[p] < target)
      ++p;
    const double t = (target - arc[p - 1]) / std::max(arc[p] - arc[p - 1], 1e-300);
    Configuration x(initial.size());
    for (size_t j = 0; j < x.size(); ++j)
      x[j] = path[p - 1][j] + t * (path[p][j] - path[p - 1][j]);
    band.push_back(x);
  }
  band.push_back(final_state);
  return band;
}

// Writes the LAMMPS `each` coordinate file of every image after the first.
void write_image_coordinates(const std::string& dir, const LammpsData& initial,
                             const std::vector<Configuration>& band) {
  for (int image = 1; image < kImages; ++image) {
    std::ofstream coords(dir + "/image." + std::to_string(image + 1));  // uloop counts from 1
    coords << initial.n_atoms() << "\n";
    coords.precision(17);
    for (int i = 0; i < initial.n_atoms(); ++i)
      coords << initial.ids[i] << " " << band[image][3 * i] << " " << band[image][3 * i + 1] << " "
             << band[image][3 * i + 2] << "\n";
  }
}

LammpsNeb run_lammps_neb(const std::string& dir, const LammpsData& initial,
                         const std::vector<Configuration>& band) {
  write_image_coordinates(dir, initial, band);
  std::ofstream(dir + "/in.neb")
      << "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
         "atom_modify sort 0 0.0\nread_data initial.data\npair_style eam/fs\npair_coeff * * "
      << art_testing::kPotentialPath
      << " Cu Zr\nneighbor 1.0 bin\ntimestep 0.001\nmin_style fire\nfix 1 all neb " << kSpring
      << "\nthermo 100\nvariable u uloop " << kImages << "\nneb 0.0 " << kSaddleForceTolerance
      << " 20000 20000 100 each image.$u\n";
  const std::string command = "cd '" + dir +
                              "' && mpirun --allow-run-as-root --oversubscribe -np " +
                              std::to_string(kImages) + " lmp -partition " +
                              std::to_string(kImages) + "x1 -in in.neb > neb.out 2>&1";
  LammpsNeb result;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "LAMMPS neb failed; see " << dir << "/neb.out";
    return result;
  }
  const testing::LammpsNebLine neb =
      testing::last_climbing_neb_line(read_text_file(dir + "/neb.out"), kImages);
  if (!neb.valid) {
    ADD_FAILURE() << "unexpected LAMMPS neb output line: '" << neb.line << "'";
    return result;
  }
  result.barrier_forward = neb.barrier_forward;
  result.max_replica_force = neb.max_replica_force;
  result.energies = neb.energies;
  return result;
}

// The quickstart glass (inputs/prepare/quickstart_glass.json) for one replica: melt at 2000 K,
// quench at 1e14 K/s to 300 K, 5 ps at 300 K, CG to 1e-6 eV/Å. Returns its inherent structure.
std::string prepare_glass(const std::string& dir) {
  std::ofstream(dir + "/prepare.json") << R"({
  "task": "prepare",
  "system": {"build": {"lattice": "b2", "lattice_constant": 3.26, "cells": [6, 6, 6],
             "composition": ["Cu:0.5", "Zr:0.5"], "seeds": [1]}, "replicas": 1},
  "prepare": {"timestep": 0.002, "ensemble": "npt", "barostat": {"pressure": 0, "tau": 1.0},
              "thermostat": {"tau": 0.1}, "melt": {"temperature": 2000, "steps": 2500},
              "cool": {"end_temperature": 300, "rate": 1e14}, "equilibrate": {"steps": 2500},
              "minimize": {"method": "cg", "etol": 0, "ftol": 1e-6}},
  "output": {"directory": "glass", "quiet": true}
})";
  const std::string command = "cd '" + dir + "' && '" + std::string(GLASSLAND_PROGRAM) +
                              "' run prepare.json > prepare.out 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << "see " << dir << "/prepare.out";
  return dir + "/glass/is_0000.data";
}

TEST(ArtVersusLammpsNeb, BarriersAgreeWithClimbingImageNeb) {
  GLASSLAND_REQUIRE_LAMMPS();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a long test: show its lines as they come
  const std::string base = testing::make_scratch_dir("art_vs_lammps_neb");
  const art_testing::CuZrStructure s = art_testing::cuzr_structure_from_file(prepare_glass(base));
  std::printf("[art vs lammps neb] glass inherent structure: %.6f eV/atom, max force %.2e eV/A\n",
              s.energy / s.data.n_atoms(), s.max_force);
  Batch batch = art_testing::cuzr_batch(s, 8);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  ArtSettings settings;
  settings.seed = 11;
  settings.minimize_force_tolerance = 1e-4;  // endpoints as LAMMPS would take them
  // Saddles converged to 0.005 eV/Å, not paper 004's 0.05: on this glass the modes
  // perpendicular to the reaction coordinate can be very soft (λ2 of a few 1e-2 eV/Å²), and a
  // point whose residual force F lies along such a mode can sit up to F²/(2λ2) ≈ 0.06 eV above
  // the saddle (measured: ART 0.087 eV at 0.05 eV/Å against LAMMPS's 0.024 eV at 0.01 eV/Å).
  // The comparison is of saddles, so both tools converge them to the same tight tolerance.
  settings.saddle_force_tolerance = kSaddleForceTolerance;
  ArtEngine engine(batch, field, settings);
  engine.add_minimum(s.minimum);
  ArtRunRequest request;
  request.target_successes = 6;
  request.max_attempts = 60;
  const ArtRunResult result = engine.run(request);
  ASSERT_GE(result.successes, 3);

  write_lammps_data(base + "/initial.data", s.data);
  int compared = 0, not_converged = 0;
  for (const ArtEvent& e : result.events) {
    if (!e.success)
      continue;
    const std::string dir = base + "/event" + std::to_string(e.search_id);
    std::system(
        ("mkdir -p '" + dir + "' && cp '" + base + "/initial.data' '" + dir + "/'").c_str());
    // ART's first-order-saddle check against the brute-force Hessian at its saddle.
    const art_testing::HessianSpectrum spectrum =
        art_testing::full_hessian_spectrum(s, e.saddle_positions);
    std::printf(
        "[art vs lammps neb] search %lld: saddle Hessian lambda1 %.4f, lambda2 %.4f "
        "eV/A^2 (ART's Lanczos: %.4f, %.4f), %d below -1e-3\n",
        static_cast<long long>(e.search_id), spectrum.lowest, spectrum.second, e.lambda1, e.lambda2,
        spectrum.negative_count);
    EXPECT_EQ(spectrum.negative_count, 1) << "search " << e.search_id;
    const LammpsNeb neb = run_lammps_neb(
        dir, s.data,
        band_on_art_path(s, s.minimum.positions, e.saddle_positions, e.final_positions));
    if (!std::isfinite(neb.barrier_forward))
      continue;
    // A band LAMMPS did not converge is no oracle value: reported, not compared. (Seen once:
    // a 12 Å-long band whose FIRE run diverged — band length 12 → 2000 Å within 2000 steps.)
    if (!(neb.max_replica_force < kSaddleForceTolerance)) {
      std::printf(
          "[art vs lammps neb] search %lld: LAMMPS band not converged (largest replica "
          "force %.3g eV/A after the step cap, barrier %.5f eV); not compared\n",
          static_cast<long long>(e.search_id), neb.max_replica_force, neb.barrier_forward);
      ++not_converged;
      continue;
    }
    // Interior local maxima of the band's profile: one for a single-saddle path.
    int maxima = 0;
    for (int i = 1; i + 1 < kImages; ++i)
      if (neb.energies[i] > neb.energies[i - 1] && neb.energies[i] > neb.energies[i + 1])
        ++maxima;
    std::printf(
        "[art vs lammps neb] search %lld: ART barrier %.5f eV, LAMMPS CI-NEB %.5f eV, "
        "difference %+.5f eV, band maxima %d, asymmetry %.4f eV\n",
        static_cast<long long>(e.search_id), e.barrier, neb.barrier_forward,
        neb.barrier_forward - e.barrier, maxima, e.asymmetry);
    if (maxima != 1)
      continue;
    EXPECT_NEAR(neb.barrier_forward, e.barrier, 0.02) << "search " << e.search_id;
    ++compared;
  }
  std::printf(
      "[art vs lammps neb] compared %d single-saddle events of %d successful (%d LAMMPS "
      "bands not converged)\n",
      compared, result.successes, not_converged);
  EXPECT_GE(compared, 2);
}

}  // namespace
}  // namespace glassland
