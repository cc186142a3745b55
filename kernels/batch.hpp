// The replica batch: R replicas of N atoms each, living on the device (ARCHITECTURE.md,
// "The one idea"). Replicas share N and the element set; boxes, species assignments,
// energies and virials are per replica. Replicas never interact through this struct.
#pragma once

#include <string>

#include "kernels/types.hpp"

namespace glassland {

struct Batch {
  int n_replicas = 0;
  int n_atoms = 0;     // atoms per replica
  int n_elements = 0;  // species known to the force field; elements[] index them

  AtomVectors positions;        // Å, wrapped into the box at neighbour-list builds
  AtomImages images;            // periodic images: unwrapped = positions + H·images
  AtomVectors velocities;       // Å/ps
  AtomVectors forces;           // eV/Å, total of all force terms
  AtomInts elements;            // element index (0-based, the potential's order)
  AtomInts ids;                 // LAMMPS atom IDs; atoms are stored in increasing ID order
  AtomScalars per_atom_energy;  // eV, total of all force terms
  Kokkos::View<double*, MemSpace> element_masses;  // amu, indexed by element

  ReplicaBoxes boxes;
  ReplicaScalars potential_energy;  // eV
  ReplicaTensors virial;            // eV, Σ r⊗f in Voigt order (LAMMPS's virial before /V)

  Batch() = default;
  Batch(int n_replicas_, int n_atoms_, int n_elements_)
      : n_replicas(n_replicas_),
        n_atoms(n_atoms_),
        n_elements(n_elements_),
        positions("batch::positions", total_atoms()),
        images("batch::images", total_atoms()),
        velocities("batch::velocities", total_atoms()),
        forces("batch::forces", total_atoms()),
        elements("batch::elements", total_atoms()),
        ids("batch::ids", total_atoms()),
        per_atom_energy("batch::per_atom_energy", total_atoms()),
        element_masses("batch::element_masses", n_elements_),
        boxes("batch::boxes", n_replicas_),
        potential_energy("batch::potential_energy", n_replicas_),
        virial("batch::virial", n_replicas_) {}

  int64_t total_atoms() const { return static_cast<int64_t>(n_replicas) * n_atoms; }
};

}  // namespace glassland
