// libFuzzer target: JSON task-input validation (host/io/json_input.cpp): JSON parsing with its
// FILE:LINE:COLUMN errors, then the typed, range-checked key readers every task's settings go
// through, walked over an md-like schema (numbers, integers, choices, per-replica values,
// arrays, nested and optional objects, the physical ranges of host/io/physical_ranges.hpp, the
// unknown-key check of finish()). Any input must be accepted or give InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/io/input_error.hpp"
#include "host/io/json_input.hpp"
#include "host/io/physical_ranges.hpp"

namespace {

void read_md_like(glassland::InputObject& root) {
  using namespace glassland;
  root.choice("task", required, {"md", "neb", "art"}, "what to run");
  InputObject md = root.object("md", "settings");
  md.number("timestep", 0.002, "ps", "time step", NumberRange::positive());
  md.integer("steps", required, "steps", "steps", IntegerRange::non_negative());
  md.choice("ensemble", "nvt", {"nve", "nvt", "npt"}, "ensemble");
  const int n =
      static_cast<int>(root.integer("replicas", 2, "", "replicas", IntegerRange::closed(1, 64)));
  md.per_replica_numbers("temperature", 300.0, n, "K", "target", temperature_range());
  md.per_replica_integers("seed", 1, n, "", "seed", IntegerRange::non_negative());
  md.numbers("shear_strain", {0.0, 0.0, 0.0}, "", "strain", LengthRange::exactly(3),
             strain_range());
  md.strings("elements", {}, "names");
  md.boolean("write", false, "flag");
  InputObject barostat = md.object("barostat", "barostat");
  barostat.per_replica_numbers("pressure", 0.0, n, "bar", "target", pressure_range());
  if (auto ramp = md.optional_object("ramp", "ramp")) {
    ramp->per_replica_numbers("end_temperature", required, n, "K", "end", temperature_range());
    ramp->path("log", "", "a path");
  }
  root.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    glassland::InputObject root(glassland::parse_json_text(text, "fuzz.json"), "fuzz.json",
                                "/nonexistent");
    read_md_like(root);
    (void)root.effective_configuration().dump();
  } catch (const glassland::InputError&) {
  }
  return 0;
}
