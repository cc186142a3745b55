// ART nouveau barriers against LAMMPS climbing-image NEB (issue 5 acceptance): for a sample of
// successful ART events on a small Cu50Zr50 inherent structure, LAMMPS `neb` (fix neb, 7
// partitions, min_style fire, climbing image) between the written initial and final minima
// must give a barrier within 0.02 eV of ART's E_saddle − E_initial.
//
// Only single-saddle events can agree: when the minimum-energy path from the initial to the
// final minimum passes an intermediate minimum, the NEB barrier is the highest of several
// saddles and ART's saddle is one of them. The test therefore compares events whose NEB band
// has a single maximum (checked on LAMMPS's energy profile) and reports the others.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/lammps_data.hpp"
#include "tests/saddle/art_cuzr_structure.hpp"
#include "tests/support/lammps_oracle.hpp"

namespace glassland {
namespace {

constexpr int kImages = 7;
constexpr double kSpring = 1.0;  // eV/Å², fix neb

struct LammpsNeb {
  double barrier_forward = NAN;
  std::vector<double> energies;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

LammpsNeb run_lammps_neb(const std::string& dir, const std::vector<double>& final_positions,
                         const LammpsData& initial) {
  {
    std::ofstream coords(dir + "/final.coords");
    coords << initial.n_atoms() << "\n";
    coords.precision(17);
    for (int i = 0; i < initial.n_atoms(); ++i)
      coords << initial.ids[i] << " " << final_positions[3 * i] << " " << final_positions[3 * i + 1]
             << " " << final_positions[3 * i + 2] << "\n";
  }
  std::ofstream(dir + "/in.neb")
      << "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
         "atom_modify sort 0 0.0\nread_data initial.data\npair_style eam/fs\npair_coeff * * "
      << art_testing::kPotentialPath
      << " Cu Zr\nneighbor 1.0 bin\ntimestep 0.001\nmin_style fire\nfix 1 all neb " << kSpring
      << "\nthermo 100\nneb 0.0 0.01 20000 20000 100 final final.coords\n";
  const std::string command = "cd '" + dir +
                              "' && mpirun --allow-run-as-root --oversubscribe -np " +
                              std::to_string(kImages) + " lmp -partition " +
                              std::to_string(kImages) + "x1 -in in.neb > neb.out 2>&1";
  LammpsNeb result;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "LAMMPS neb failed; see " << dir << "/neb.out";
    return result;
  }
  std::istringstream out(read_text(dir + "/neb.out"));
  std::string line, last;
  bool climbing = false;
  while (std::getline(out, line)) {
    if (line.rfind("Climbing replica = ", 0) == 0)
      climbing = true;
    else if (climbing && !line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
      last = line;
  }
  // Step MaxReplicaForce MaxAtomForce GradV0 GradV1 GradVc EBF EBR RDT RD1 PE1 ... RDN PEN
  std::istringstream fields(last);
  std::vector<double> v;
  double x;
  while (fields >> x)
    v.push_back(x);
  if (v.size() != 9 + 2 * kImages) {
    ADD_FAILURE() << "unexpected LAMMPS neb output line: '" << last << "'";
    return result;
  }
  result.barrier_forward = v[6];
  for (int image = 0; image < kImages; ++image)
    result.energies.push_back(v[9 + 2 * image + 1]);
  return result;
}

TEST(ArtVersusLammpsNeb, BarriersAgreeWithClimbingImageNeb) {
  const art_testing::CuZrStructure s = art_testing::make_cuzr_inherent_structure(7);
  Batch batch = art_testing::cuzr_batch(s, 8);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  ArtSettings settings;
  settings.seed = 11;
  settings.minimize_force_tolerance = 1e-4;  // endpoints as LAMMPS would take them
  ArtEngine engine(batch, field, settings);
  engine.add_minimum(s.minimum);
  ArtRunRequest request;
  request.target_successes = 6;
  request.max_attempts = 60;
  const ArtRunResult result = engine.run(request);
  ASSERT_GE(result.successes, 3);

  const std::string base = testing::make_scratch_dir("art_vs_lammps_neb");
  write_lammps_data(base + "/initial.data", s.data);
  int compared = 0;
  for (const ArtEvent& e : result.events) {
    if (!e.success)
      continue;
    const std::string dir = base + "/event" + std::to_string(e.search_id);
    std::system(
        ("mkdir -p '" + dir + "' && cp '" + base + "/initial.data' '" + dir + "/'").c_str());
    const LammpsNeb neb = run_lammps_neb(dir, e.final_positions, s.data);
    if (!std::isfinite(neb.barrier_forward))
      continue;
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
  std::printf("[art vs lammps neb] compared %d single-saddle events of %d successful\n", compared,
              result.successes);
  EXPECT_GE(compared, 2);
}

}  // namespace
}  // namespace glassland
