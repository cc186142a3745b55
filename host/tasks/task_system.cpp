#include "host/tasks/task_system.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <Kokkos_Core.hpp>

#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "host/tasks/structure_builder.hpp"
#include "host/tasks/structure_provenance.hpp"

namespace glassland {

std::vector<std::pair<std::string, double>> parse_composition(const std::vector<std::string>& items,
                                                              const std::string& what) {
  std::vector<std::pair<std::string, double>> parts;
  for (const auto& item : items) {
    const auto colon = item.find(':');
    char* end = nullptr;
    const double fraction =
        colon == std::string::npos ? 0.0 : std::strtod(item.c_str() + colon + 1, &end);
    if (colon == std::string::npos || colon == 0 || end == item.c_str() + colon + 1 ||
        *end != '\0' || !(fraction >= 0.0))
      throw InputError(what + ": expected \"Element:fraction\" such as \"Cu:0.5\", got \"" + item +
                       "\"");
    parts.emplace_back(item.substr(0, colon), fraction);
  }
  double total = 0.0;
  for (const auto& part : parts)
    total += part.second;
  // Fractions that do not add up to 1 are a typo (Cu:0.5,Zr:0.6), not something to normalise
  // away; rounded fractions (three thirds written as 0.33) are within the tolerance.
  if (!parts.empty() && !(std::abs(total - 1.0) <= kCompositionSumTolerance)) {
    char message[160];
    std::snprintf(message, sizeof message,
                  ": the fractions add up to %.6g, not 1 (within %g); give fractions that sum to 1",
                  total, kCompositionSumTolerance);
    throw InputError(what + message);
  }
  return parts;
}

SystemPotential read_system_potential(InputObject& section) {
  SystemPotential p;
  const std::string potential_path = section.path("potential", default_potential_path(),
                                                  "setfl EAM potential file (eam/fs or eam/alloy)");
  const std::string format =
      section.choice("potential_format", "auto", {"auto", "fs", "alloy"},
                     "setfl flavour; auto: from the file name (.fs → eam/fs, .alloy → eam/alloy)");
  p.potential =
      read_setfl(potential_path, format == "fs"      ? SetflFormat::FinnisSinclair
                                 : format == "alloy" ? SetflFormat::Alloy
                                                     : setfl_format_from_filename(potential_path));
  p.type_elements = section.strings(
      "elements", p.potential.elements,
      "element of each atom type, in type order, as LAMMPS's pair_coeff * * FILE El1 El2 ... "
      "(default: the potential's elements in file order)");
  // Checked here, before anything is built with them (found by fuzz_task_run: a structure built
  // for an unknown element looked its mass up at index −1, an internal error).
  for (const std::string& name : p.type_elements)
    if (p.potential.element_index(name) < 0) {
      std::string defined;
      for (const std::string& e : p.potential.elements)
        defined += " " + e;
      throw section.error("elements", "element \"" + name + "\" is not in the potential " +
                                          potential_path + ", which defines:" + defined);
    }
  p.neighbor_skin =
      section.number("neighbor_skin", 1.0, "Å", "neighbour-list skin", NumberRange::non_negative());
  p.precision = section.choice("precision", "double", {"double", "mixed"},
                               "EAM pair arithmetic: double, or mixed (float pair tables and "
                               "pair terms, double sums and integration)") == "mixed"
                    ? EamPrecision::Mixed
                    : EamPrecision::Double;
  p.checks.min_atom_distance = section.number(
      "min_atom_distance", kDefaultMinAtomDistance, "Å",
      "a structure with two atoms closer than this is an error naming them (overlapping atoms "
      "make the forces blow up); 0 turns the check off",
      NumberRange::non_negative());
  p.checks.elements_given = section.has("elements");
  p.checks.type_elements = p.type_elements;
  return p;
}

void StructureChecks::apply(const NamedStructure& structure) const {
  check_atom_overlaps(structure.data, structure.name, min_atom_distance,
                      "system.min_atom_distance");
  if (elements_given)
    check_one_element_per_type(structure.data, structure.name, type_elements, "system.elements");
}

namespace {

// The neighbour list needs every box at least 2·(cutoff + skin) wide between opposite faces (an
// atom must not meet two images of one neighbour; kernels/neighbor_list.cpp): an input error
// before the run, not a failure at the first force evaluation.
void check_box_widths(const TaskSystem& system) {
  const auto boxes = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), system.batch.boxes);
  const double reach = system.potential.cutoff + system.neighbor_skin;
  for (int r = 0; r < system.batch.n_replicas; ++r) {
    double widths[3];
    boxes(r).perpendicular_widths(widths);
    for (int k = 0; k < 3; ++k) {
      if (widths[k] >= 2.0 * reach)
        continue;
      std::ostringstream message;
      message << system.replica_sources[r] << ": the box is " << widths[k] << " Å wide along "
              << "abc"[k] << ", less than 2·(cutoff + skin) = 2·(" << system.potential.cutoff
              << " + " << system.neighbor_skin << ") = " << 2.0 * reach
              << " Å; use a larger structure (more system.build.cells) or a smaller "
                 "system.neighbor_skin";
      throw InputError(message.str());
    }
  }
}

// The effective configuration records the structure files read as absolute paths (`key`, in
// place of the paths as written, which are relative to the input file), and beside them
// `_sources`: one provenance record per file (its prepare run's cooling rate where the file is
// one of its structures), so that `analyze` finds both from any working directory. The "_"
// prefix keeps effective_input.json a valid input (such keys are notes to the reader).
void record_structure_sources(InputObject& section, const std::string& key,
                              const std::vector<NamedStructure>& structures) {
  nlohmann::json files = nlohmann::json::array();
  nlohmann::json sources = nlohmann::json::array();
  for (const NamedStructure& s : structures) {
    sources.push_back(structure_provenance(s.name));
    files.push_back(sources.back()["file"]);
  }
  section.record_resolved(key, key == "structure" ? files.front() : files);
  section.record_resolved("_sources", sources);
}

}  // namespace

std::unique_ptr<TaskSystem> read_task_system(InputObject& input, int default_replicas) {
  auto system = std::make_unique<TaskSystem>();
  InputObject section = input.object("system", "what the replicas are: structures, potential");
  SystemPotential force_field_keys = read_system_potential(section);
  system->potential = std::move(force_field_keys.potential);
  system->type_elements = std::move(force_field_keys.type_elements);
  system->neighbor_skin = force_field_keys.neighbor_skin;
  system->precision = force_field_keys.precision;
  system->checks = force_field_keys.checks;

  std::vector<NamedStructure> structures;
  const std::vector<std::string> files =
      section.strings("structures", {}, "LAMMPS data files, one replica each");
  const std::string file =
      section.path("structure", "", "one LAMMPS data file, copied into `replicas` replicas");
  const auto build =
      section.optional_object("build", "build the starting structures instead of reading them");
  const int given = (!files.empty()) + (!file.empty()) + build.has_value();
  if (given != 1)
    throw section.error("structures",
                        "give exactly one of \"structures\" (a list of data files), \"structure\" "
                        "(one file, with \"replicas\") or \"build\"");
  if (!files.empty()) {
    for (const auto& f : files) {
      const std::string resolved =
          f.empty() || f[0] == '/' ? f : section.base_directory() + "/" + f;
      structures.push_back({resolved, read_lammps_data(resolved)});
    }
    record_structure_sources(section, "structures", structures);
  } else if (!file.empty()) {
    const int replicas = static_cast<int>(section.integer("replicas", default_replicas, "",
                                                          "copies of the structure in the batch",
                                                          IntegerRange::positive()));
    const LammpsData data = read_lammps_data(file);
    for (int r = 0; r < replicas; ++r)
      structures.push_back({file, data});
    record_structure_sources(section, "structure", {structures.front()});
  } else {
    InputObject b = *build;
    StructureSpec spec;
    spec.lattice = b.choice("lattice", "b2", {"b2", "bcc", "fcc", "sc", "random"},
                            "lattice or random packing");
    spec.lattice_constant =
        b.number("lattice_constant", 3.26, "Å", "lattice constant", NumberRange::positive());
    const auto cells = b.integers("cells", {6, 6, 6}, "", "unit cells along x, y, z",
                                  LengthRange::exactly(3), IntegerRange::positive());
    spec.cells = {static_cast<int>(cells[0]), static_cast<int>(cells[1]),
                  static_cast<int>(cells[2])};
    spec.n_atoms = static_cast<int>(
        b.integer("atoms", 0, "", "random: number of atoms", IntegerRange::non_negative()));
    spec.number_density = b.number("number_density", 0.0, "1/Å³", "random: atoms per Å³",
                                   NumberRange::non_negative());
    spec.min_separation =
        b.number("min_separation", 2.0, "Å", "random: smallest distance", NumberRange::positive());
    spec.composition =
        parse_composition(b.strings("composition", {"Cu:0.5", "Zr:0.5"},
                                    "element fractions, e.g. [\"Cu:0.64\", \"Zr:0.36\"]"),
                          input.file_name() + ": system.build.composition");
    const int replicas = static_cast<int>(
        section.integer("replicas", default_replicas, "",
                        "number of independent structures to build", IntegerRange::positive()));
    const int64_t seed =
        b.integer("seed", 1, "", "species-assignment (and packing) seed; replica r gets seed + r",
                  IntegerRange::non_negative());
    const auto seeds = b.integers("seeds", {}, "", "explicit seed of each replica (overrides seed)",
                                  LengthRange::any(), IntegerRange::non_negative());
    if (!seeds.empty() && static_cast<int>(seeds.size()) != replicas)
      throw b.error("seeds", "expected " + std::to_string(replicas) +
                                 " seeds (one per replica), got " + std::to_string(seeds.size()));
    for (int r = 0; r < replicas; ++r) {
      spec.seed = static_cast<uint64_t>(seeds.empty() ? seed + r : seeds[r]);
      structures.push_back(
          {"build seed " + std::to_string(spec.seed),
           build_structure(spec, system->type_elements, [&] {
             std::vector<double> masses;
             for (const auto& e : system->type_elements)
               masses.push_back(system->potential.masses.at(system->potential.element_index(e)));
             return masses;
           }())});
    }
  }
  const auto slab = section.optional_object(
      "slab", "a slab with two free surfaces: vacuum added along z (paper 002)");
  if (slab) {
    InputObject o = *slab;
    const double vacuum = o.number("vacuum", 10.0, "Å", "vacuum added below and above along z",
                                   NumberRange::non_negative());
    for (auto& s : structures)
      add_vacuum_along_z(s.data, vacuum);
  }
  for (size_t k = 0; k < structures.size(); ++k) {
    // One file copied into many replicas is checked once.
    if (k == 0 || structures[k].name != structures[k - 1].name)
      system->checks.apply(structures[k]);
    system->replica_sources.push_back(structures[k].name);
  }
  system->batch = make_batch(structures, system->type_elements, system->potential.elements,
                             system->potential.masses);
  system->force_field.add_term(make_eam_term(system->potential, system->neighbor_skin,
                                             default_neighbor_list_kind(), system->precision));
  check_box_widths(*system);
  return system;
}

void write_replica_data(const TaskSystem& system, int replica, const std::string& path,
                        bool with_velocities) {
  const BatchSnapshot s = snapshot(system.batch);
  write_lammps_data(path,
                    replica_to_data(s, replica, system.type_elements, system.potential.elements,
                                    system.potential.masses, with_velocities));
}

}  // namespace glassland
