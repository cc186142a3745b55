# Sourced by perf/eam_throughput.sh and perf/eam_instructions.sh: the LAMMPS run both compare with,
# eam/fs forces on a data file with a 1 Å skin and no fix (LAMMPS computes energy and virial only
# on thermo steps).
# Usage: eam_lammps_input FILE STRUCTURE POTENTIAL STEPS THERMO_EVERY
eam_lammps_input() {
  cat >"$1" <<LMP
units metal
atom_style atomic
read_data $2
pair_style eam/fs
pair_coeff * * $3 Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
thermo $5
run $4
LMP
}
