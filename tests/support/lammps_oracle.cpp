#include "tests/support/lammps_oracle.hpp"

#include "tests/support/test_requirements.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace glassland::testing {

std::string make_scratch_dir(const std::string& name) {
  // ctest runs every test in its own process, several at once: each process gets its own
  // directory (NAME.PID), and directories of processes that have ended are removed.
  const auto base = std::filesystem::path(GLASSLAND_BINARY_DIR) / "tmp";
  std::filesystem::create_directories(base);
  const std::string prefix = name + ".";
  for (const auto& entry : std::filesystem::directory_iterator(base)) {
    const std::string entry_name = entry.path().filename().string();
    if (entry_name.rfind(prefix, 0) != 0)
      continue;
    const std::string suffix = entry_name.substr(prefix.size());
    if (suffix.empty() || suffix.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const pid_t owner = static_cast<pid_t>(std::stol(suffix));
    if (owner != getpid() && kill(owner, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
  const auto dir = base / (prefix + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string run_lammps(const std::string& dir, const std::string& script) {
  // A test that reaches here without GLASSLAND_REQUIRE_LAMMPS() fails rather than passes.
  const std::string missing = lammps_missing_reason();
  if (!missing.empty()) {
    ADD_FAILURE() << "LAMMPS cannot run: " << missing;
    return "";
  }
  const std::string lmp = lammps_executable();
  std::ofstream(dir + "/in.lmp") << script;
  const std::string command =
      "cd '" + dir + "' && '" + lmp + "' -nocite -log log.lammps -in in.lmp 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot start " << command;
    return "";
  }
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, n);
  const int status = pclose(pipe);
  if (status != 0) {
    ADD_FAILURE() << "lmp failed (status " << status << ") in " << dir << ":\n" << output;
    return "";
  }
  return output;
}

double printed_value(const std::string& output, const std::string& key) {
  std::istringstream lines(output);
  std::string line;
  double value = std::numeric_limits<double>::quiet_NaN();
  while (std::getline(lines, line)) {
    if (line.rfind(key + " ", 0) == 0)
      value = std::stod(line.substr(key.size() + 1));
  }
  return value;
}

LammpsEvaluation lammps_evaluate(const std::string& dir, const std::string& data_file,
                                 const std::string& pair_style, const std::string& potential,
                                 const std::vector<std::string>& elements) {
  std::string element_list;
  for (const auto& e : elements)
    element_list += " " + e;
  std::ostringstream script;
  script << "units metal\natom_style atomic\natom_modify map array\n"
         << "read_data " << data_file << "\n"
         << "pair_style " << pair_style << "\npair_coeff * * " << potential << element_list << "\n"
         << "compute virial all pressure NULL virial\n"
         << "thermo_style custom step pe c_virial[1]\n"
         << "dump forces all custom 1 forces.dump id fx fy fz\n"
         << "dump_modify forces format float %.17g sort id\n"
         << "run 0\n"
         << "variable e equal pe\nvariable v equal vol\n";
  const char* names[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};
  for (int k = 0; k < 6; ++k)
    script << "variable p" << names[k] << " equal c_virial[" << k + 1 << "]\n";
  script << "print \"ENERGY $(v_e:%.17g)\"\nprint \"VOLUME $(v_v:%.17g)\"\n";
  for (int k = 0; k < 6; ++k)
    script << "print \"P" << names[k] << " $(v_p" << names[k] << ":%.17g)\"\n";
  const std::string output = run_lammps(dir, script.str());

  LammpsEvaluation result;
  result.energy = printed_value(output, "ENERGY");
  result.volume = printed_value(output, "VOLUME");
  const double nktv2p = 1.6021765e6;  // LAMMPS metal units, update.cpp
  for (int k = 0; k < 6; ++k)
    result.virial[k] = printed_value(output, std::string("P") + names[k]) * result.volume / nktv2p;

  std::ifstream dump(dir + "/forces.dump");
  std::string line;
  while (std::getline(dump, line) && line.rfind("ITEM: ATOMS", 0) != 0) {
  }
  int id;
  std::array<double, 3> f;
  while (dump >> id >> f[0] >> f[1] >> f[2])
    result.forces[id] = f;
  return result;
}

LammpsNebLine last_climbing_neb_line(const std::string& output, int n_images) {
  LammpsNebLine result;
  std::istringstream out(output);
  std::string line;
  bool climbing = false;
  while (std::getline(out, line)) {
    if (line.rfind("Climbing replica = ", 0) == 0) {
      climbing = true;
      result.climbing_replica = std::stoi(line.substr(19));
    } else if (climbing && !line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) {
      result.line = line;
    }
  }
  std::istringstream fields(result.line);
  std::vector<double> v;
  double x;
  while (fields >> x)
    v.push_back(x);
  if (v.size() != 9 + 2 * static_cast<size_t>(n_images))
    return result;
  result.valid = true;
  result.max_replica_force = v[1];
  result.barrier_forward = v[6];
  result.barrier_backward = v[7];
  for (int image = 0; image < n_images; ++image)
    result.energies.push_back(v[9 + 2 * image + 1]);
  return result;
}

}  // namespace glassland::testing
