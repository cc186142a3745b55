// Checkpoint entries of a batch (positions, images, velocities, boxes) and of an MD integrator's
// state, restored bitwise (host/io/atomic_file.hpp holds the Checkpoint file itself).
#pragma once

#include <vector>

#include "host/io/checkpoint.hpp"
#include "kernels/batch.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

// A box as the nine numbers checkpoints store (lo x/y/z, lx, ly, lz, xy, xz, yz), and back.
std::vector<double> box_values(const Box& box);
Box box_from_values(const double* values);

void save_batch(Checkpoint& checkpoint, const Batch& batch);
void load_batch(const Checkpoint& checkpoint, Batch& batch);
// The batch's forces and potential energies, for a run that continues without evaluating them
// again (NebRunner::restore).
void save_batch_forces(Checkpoint& checkpoint, const Batch& batch);
void load_batch_forces(const Checkpoint& checkpoint, Batch& batch);
void save_integrator_state(Checkpoint& checkpoint, const IntegratorState& state);
void load_integrator_state(const Checkpoint& checkpoint, const IntegratorState& state);

}  // namespace glassland
