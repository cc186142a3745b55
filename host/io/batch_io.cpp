#include "host/io/batch_io.hpp"

#include <algorithm>
#include <sstream>

#include "host/io/input_error.hpp"

namespace glassland {

EamTableData eam_table_data(const SetflPotential& potential) {
  EamTableData data;
  const int n = potential.n_elements();
  data.elements = potential.elements;
  data.nrho = potential.nrho;
  data.drho = potential.drho;
  data.nr = potential.nr;
  data.dr = potential.dr;
  data.cutoff = potential.cutoff;
  data.embedding = potential.embedding;
  data.density = potential.density;
  data.r_times_pair = potential.r_times_pair;
  data.density_table.assign(n, std::vector<int>(n, 0));
  for (int source = 0; source < n; ++source)
    for (int receiver = 0; receiver < n; ++receiver)
      // LAMMPS: density at i from j uses rhor[type2rhor[jtype][itype]], where
      // type2rhor[a][b] = map[a] for eam/alloy and map[a]·N + map[b] for eam/fs.
      data.density_table[source][receiver] =
          potential.format == SetflFormat::Alloy ? source : source * n + receiver;
  return data;
}

std::unique_ptr<EamForceTerm> make_eam_term(const SetflPotential& potential, double skin,
                                            NeighborListKind kind, EamPrecision precision) {
  return std::make_unique<EamForceTerm>(make_eam_tables(eam_table_data(potential)), skin, kind,
                                        EamAtomOrder::Spatial, precision);
}

std::vector<int> map_types_to_elements(const std::vector<std::string>& type_elements,
                                       const std::vector<std::string>& potential_elements) {
  std::vector<int> map;
  for (const auto& name : type_elements) {
    const auto it = std::find(potential_elements.begin(), potential_elements.end(), name);
    if (it == potential_elements.end()) {
      std::ostringstream message;
      message << "element \"" << name << "\" is not in the potential, which defines:";
      for (const auto& e : potential_elements)
        message << " " << e;
      throw InputError(message.str());
    }
    map.push_back(static_cast<int>(it - potential_elements.begin()));
  }
  return map;
}

Box box_from_data(const LammpsData& data) {
  Box box;
  for (int k = 0; k < 3; ++k)
    box.lo[k] = data.lo[k];
  box.lx = data.hi[0] - data.lo[0];
  box.ly = data.hi[1] - data.lo[1];
  box.lz = data.hi[2] - data.lo[2];
  box.xy = data.xy;
  box.xz = data.xz;
  box.yz = data.yz;
  return box;
}

Batch make_batch(const std::vector<NamedStructure>& structures,
                 const std::vector<std::string>& type_elements,
                 const std::vector<std::string>& potential_elements,
                 const std::vector<double>& element_masses) {
  if (structures.empty())
    throw InputError("no structures given");
  const int n_atoms = structures.front().data.n_atoms();
  const int n_replicas = static_cast<int>(structures.size());
  const std::vector<int> element_of_type = map_types_to_elements(type_elements, potential_elements);
  for (const auto& s : structures) {
    if (s.data.n_atoms() != n_atoms)
      throw InputError(s.name + ": has " + std::to_string(s.data.n_atoms()) + " atoms but " +
                       structures.front().name + " has " + std::to_string(n_atoms) +
                       "; one batch needs the same atom count in every structure");
    if (s.data.n_types > static_cast<int>(type_elements.size()))
      throw InputError(s.name + ": has " + std::to_string(s.data.n_types) +
                       " atom types but only " + std::to_string(type_elements.size()) +
                       " element names were given; name one element per type");
  }
  Batch batch(n_replicas, n_atoms, static_cast<int>(potential_elements.size()));
  auto positions = Kokkos::create_mirror_view(batch.positions);
  auto images = Kokkos::create_mirror_view(batch.images);
  auto velocities = Kokkos::create_mirror_view(batch.velocities);
  auto elements = Kokkos::create_mirror_view(batch.elements);
  auto ids = Kokkos::create_mirror_view(batch.ids);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  auto masses = Kokkos::create_mirror_view(batch.element_masses);
  for (size_t e = 0; e < potential_elements.size(); ++e)
    masses(e) = element_masses.at(e);
  for (int r = 0; r < n_replicas; ++r) {
    const LammpsData& data = structures[r].data;
    boxes(r) = box_from_data(data);
    const bool has_velocities = !data.velocities.empty();
    for (int i = 0; i < n_atoms; ++i) {
      const int64_t g = static_cast<int64_t>(r) * n_atoms + i;
      for (int k = 0; k < 3; ++k) {
        positions(g, k) = data.positions[i][k];
        images(g, k) = data.images[i][k];
        velocities(g, k) = has_velocities ? data.velocities[i][k] : 0.0;
      }
      elements(g) = element_of_type[data.types[i] - 1];
      ids(g) = data.ids[i];
    }
  }
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.images, images);
  Kokkos::deep_copy(batch.velocities, velocities);
  Kokkos::deep_copy(batch.elements, elements);
  Kokkos::deep_copy(batch.ids, ids);
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.element_masses, masses);
  return batch;
}

namespace {
template <class View>
std::vector<double> flatten3(const View& device) {
  auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), device);
  std::vector<double> out(host.extent(0) * 3);
  for (size_t g = 0; g < host.extent(0); ++g)
    for (int k = 0; k < 3; ++k)
      out[g * 3 + k] = host(g, k);
  return out;
}
}  // namespace

BatchSnapshot snapshot(const Batch& batch) {
  BatchSnapshot s;
  s.n_replicas = batch.n_replicas;
  s.n_atoms = batch.n_atoms;
  s.positions = flatten3(batch.positions);
  s.velocities = flatten3(batch.velocities);
  s.forces = flatten3(batch.forces);
  auto images = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.images);
  s.images.resize(images.extent(0) * 3);
  for (size_t g = 0; g < images.extent(0); ++g)
    for (int k = 0; k < 3; ++k)
      s.images[g * 3 + k] = images(g, k);
  auto elements = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.elements);
  auto ids = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.ids);
  s.elements.assign(elements.data(), elements.data() + elements.extent(0));
  s.ids.assign(ids.data(), ids.data() + ids.extent(0));
  auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  s.boxes.assign(boxes.data(), boxes.data() + boxes.extent(0));
  auto energy = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
  s.potential_energy.assign(energy.data(), energy.data() + energy.extent(0));
  auto virial = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.virial);
  s.virial.resize(virial.extent(0) * 6);
  for (size_t r = 0; r < virial.extent(0); ++r)
    for (int k = 0; k < 6; ++k)
      s.virial[r * 6 + k] = virial(r, k);
  return s;
}

LammpsData replica_to_data(const BatchSnapshot& s, int replica,
                           const std::vector<std::string>& type_elements,
                           const std::vector<std::string>& potential_elements,
                           const std::vector<double>& element_masses, bool with_velocities) {
  const std::vector<int> element_of_type = map_types_to_elements(type_elements, potential_elements);
  LammpsData data;
  data.title = "glassland replica " + std::to_string(replica);
  data.n_types = static_cast<int>(type_elements.size());
  const Box& box = s.boxes.at(replica);
  for (int k = 0; k < 3; ++k)
    data.lo[k] = box.lo[k];
  data.hi = {box.lo[0] + box.lx, box.lo[1] + box.ly, box.lo[2] + box.lz};
  data.xy = box.xy;
  data.xz = box.xz;
  data.yz = box.yz;
  data.triclinic = box.is_triclinic();
  for (int t = 0; t < data.n_types; ++t)
    data.masses.push_back(element_masses.at(element_of_type[t]));
  for (int i = 0; i < s.n_atoms; ++i) {
    const size_t g = static_cast<size_t>(replica) * s.n_atoms + i;
    const auto type_it = std::find(element_of_type.begin(), element_of_type.end(), s.elements[g]);
    if (type_it == element_of_type.end())
      throw InputError("replica " + std::to_string(replica) + " holds element \"" +
                       potential_elements.at(s.elements[g]) +
                       "\", which none of the output types names");
    data.ids.push_back(s.ids[g]);
    data.types.push_back(static_cast<int>(type_it - element_of_type.begin()) + 1);
    data.positions.push_back({s.positions[g * 3], s.positions[g * 3 + 1], s.positions[g * 3 + 2]});
    data.images.push_back({s.images[g * 3], s.images[g * 3 + 1], s.images[g * 3 + 2]});
    if (with_velocities)
      data.velocities.push_back(
          {s.velocities[g * 3], s.velocities[g * 3 + 1], s.velocities[g * 3 + 2]});
  }
  return data;
}

}  // namespace glassland
