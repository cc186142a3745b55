// Validated JSON input: messages name the file and the JSON path and say what was expected and
// what was found; defaults land in the effective configuration; unknown keys are errors with a
// suggestion; per-replica values broadcast or must match the replica count.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "host/io/input_error.hpp"
#include "host/io/json_input.hpp"

namespace glassland {
namespace {

using nlohmann::json;

InputObject input_from(const std::string& text) {
  return InputObject(parse_json_text(text, "input.json"), "input.json", "/data/run");
}

// Runs `action`, expects an InputError, and returns its message.
template <class Action>
std::string input_error_message(Action action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(JsonInput, NegativeValueForPositiveNumberNamesFileAndPath) {
  InputObject root = input_from(R"({"md": {"thermostat": {"tau_ps": -1}}})");
  InputObject thermostat = root.object("md", "MD settings").object("thermostat", "thermostat");
  EXPECT_EQ(input_error_message([&] {
              thermostat.number("tau_ps", 0.1, "ps", "relaxation time", NumberRange::positive());
            }),
            "input.json: md.thermostat.tau_ps: expected a positive number, got -1");
}

TEST(JsonInput, ChoiceOutsideTheAllowedSetListsTheChoices) {
  InputObject root = input_from(R"({"md": {"ensemble": "nvp"}})");
  InputObject md = root.object("md", "MD settings");
  EXPECT_EQ(input_error_message([&] {
              md.choice("ensemble", "nve", {"nvt", "npt", "nve"}, "ensemble");
            }),
            "input.json: md.ensemble: expected one of \"nvt\", \"npt\", \"nve\", got \"nvp\"");
}

TEST(JsonInput, FractionalIntegerIsRejected) {
  InputObject root = input_from(R"({"steps": 2.5})");
  EXPECT_EQ(input_error_message([&] { root.integer("steps", 10, "", "number of steps"); }),
            "input.json: steps: expected an integer, got 2.5");
}

TEST(JsonInput, IntegerWrittenInExponentNotationIsAccepted) {
  InputObject root = input_from(R"({"steps": 1e6})");
  EXPECT_EQ(root.integer("steps", 10, "", "number of steps"), 1000000);
  EXPECT_TRUE(root.effective_configuration()["steps"].is_number_integer());
}

TEST(JsonInput, IntegerRangesAreChecked) {
  InputObject root = input_from(R"({"a": 0, "b": 7, "c": 9223372036854775807, "d": "3"})");
  EXPECT_EQ(input_error_message([&] { root.integer("a", 1, "", "a", IntegerRange::positive()); }),
            "input.json: a: expected a positive integer, got 0");
  EXPECT_EQ(input_error_message([&] { root.integer("b", 1, "", "b", IntegerRange::closed(1, 5)); }),
            "input.json: b: expected an integer in [1, 5], got 7");
  EXPECT_EQ(root.integer("c", 0, "", "c"), INT64_MAX);
  EXPECT_EQ(input_error_message([&] { root.integer("d", 0, "", "d"); }),
            "input.json: d: expected an integer, got \"3\"");
}

TEST(JsonInput, NumberRangesAreChecked) {
  InputObject root = input_from(R"({"x": 1.5, "y": -0.5, "z": 0, "w": true})");
  EXPECT_EQ(
      input_error_message([&] { root.number("x", 0.0, "", "x", NumberRange::closed(0.0, 1.0)); }),
      "input.json: x: expected a number in [0, 1], got 1.5");
  EXPECT_EQ(
      input_error_message([&] { root.number("y", 0.0, "", "y", NumberRange::non_negative()); }),
      "input.json: y: expected a non-negative number, got -0.5");
  EXPECT_EQ(root.number("z", 3.0, "", "z", NumberRange::non_negative()), 0.0);
  EXPECT_EQ(input_error_message([&] { root.number("w", 0.0, "", "w"); }),
            "input.json: w: expected a number, got true");
}

TEST(JsonInput, MissingRequiredKey) {
  InputObject root = input_from(R"({"md": {}})");
  InputObject md = root.object("md", "MD settings");
  EXPECT_EQ(input_error_message([&] { md.number("timestep_ps", required, "ps", "time step"); }),
            "input.json: md.timestep_ps: missing required key");
  EXPECT_EQ(input_error_message([&] { root.object("structure", required, "structure"); }),
            "input.json: structure: missing required key");
}

TEST(JsonInput, WrongTypesAreReported) {
  InputObject root = input_from(R"({"flag": 1, "name": 3, "sub": [1], "list": 4})");
  EXPECT_EQ(input_error_message([&] { root.boolean("flag", false, "a flag"); }),
            "input.json: flag: expected true or false, got 1");
  EXPECT_EQ(input_error_message([&] { root.string("name", "x", "a name"); }),
            "input.json: name: expected a string, got 3");
  EXPECT_EQ(input_error_message([&] { root.object("sub", "a sub-object"); }),
            "input.json: sub: expected an object, got [1]");
  EXPECT_EQ(input_error_message([&] { root.numbers("list", {}, "", "numbers"); }),
            "input.json: list: expected an array of numbers, got 4");
}

TEST(JsonInput, EffectiveConfigurationHoldsDefaultsAndGivenValues) {
  InputObject root = input_from(R"({"task": "md", "md": {"steps": 100}})");
  EXPECT_EQ(root.choice("task", required, {"md", "minimize"}, "task"), "md");
  InputObject md = root.object("md", "MD settings");
  EXPECT_EQ(md.integer("steps", 10, "", "steps"), 100);
  EXPECT_EQ(md.number("timestep_ps", 0.001, "ps", "time step"), 0.001);
  InputObject thermostat = md.object("thermostat", "thermostat");  // absent: all defaults
  EXPECT_EQ(thermostat.choice("kind", "nose_hoover", {"nose_hoover", "langevin"}, "kind"),
            "nose_hoover");
  EXPECT_FALSE(md.optional_object("barostat", "barostat").has_value());
  root.finish();

  const json expected = json::parse(R"({
    "task": "md",
    "md": {"steps": 100, "timestep_ps": 0.001, "thermostat": {"kind": "nose_hoover"}}
  })");
  EXPECT_EQ(root.effective_configuration(), expected) << root.effective_configuration().dump(2);
}

TEST(JsonInput, UnknownKeySuggestsTheClosestKnownKey) {
  InputObject root = input_from(R"({"md": {"thermostat": {"tau": 0.1}}})");
  InputObject thermostat = root.object("md", "MD").object("thermostat", "thermostat");
  thermostat.number("tau_ps", 0.1, "ps", "relaxation time", NumberRange::positive());
  thermostat.integer("chain_length", 3, "", "chain length");
  EXPECT_EQ(input_error_message([&] { root.finish(); }),
            "input.json: md.thermostat.tau: unknown key (did you mean \"tau_ps\"?)");
  // The same check from the sub-object itself.
  EXPECT_EQ(input_error_message([&] { thermostat.finish(); }),
            "input.json: md.thermostat.tau: unknown key (did you mean \"tau_ps\"?)");
}

TEST(JsonInput, UnknownKeyWithNothingCloseListsTheKnownKeys) {
  InputObject root = input_from(R"({"steps": 1, "zzzzzz": 2, "_comment": "ignored"})");
  root.integer("steps", 1, "", "steps");
  root.number("temperature", 300.0, "K", "temperature");
  EXPECT_EQ(input_error_message([&] { root.finish(); }),
            "input.json: zzzzzz: unknown key (known keys: \"steps\", \"temperature\")");
}

TEST(JsonInput, UnreadSubObjectIsUnknownAtItsParent) {
  InputObject root = input_from(R"({"md": {"steps": 1}, "mdd": {}})");
  root.object("md", "MD").integer("steps", 1, "", "steps");
  EXPECT_EQ(input_error_message([&] { root.finish(); }),
            "input.json: mdd: unknown key (did you mean \"md\"?)");
}

TEST(JsonInput, ReopeningAnObjectSharesItsReadKeys) {
  InputObject root = input_from(R"({"md": {"steps": 1, "timestep_ps": 0.002}})");
  root.object("md", "MD").integer("steps", 1, "", "steps");
  root.object("md", "MD").number("timestep_ps", 0.001, "ps", "time step");
  EXPECT_NO_THROW(root.finish());
}

TEST(JsonInput, ClosenessOfSuggestionsUsesEditDistance) {
  EXPECT_EQ(edit_distance("tau", "tau_ps"), 3u);
  EXPECT_EQ(edit_distance("temprature", "temperature"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(JsonInput, PerReplicaScalarIsBroadcast) {
  InputObject root = input_from(R"({"temperature_K": 300})");
  EXPECT_EQ(root.per_replica_numbers("temperature_K", required, 4, "K", "target temperature",
                                     NumberRange::positive()),
            (std::vector<double>{300, 300, 300, 300}));
  EXPECT_EQ(root.effective_configuration()["temperature_K"], json(300.0));
}

TEST(JsonInput, PerReplicaArrayKeepsItsValues) {
  InputObject root = input_from(R"({"temperature_K": [300, 400, 500], "seed": [1, 2, 3]})");
  EXPECT_EQ(root.per_replica_numbers("temperature_K", 1000.0, 3, "K", "target temperature"),
            (std::vector<double>{300, 400, 500}));
  EXPECT_EQ(root.per_replica_integers("seed", 7, 3, "", "seed"),
            (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(root.per_replica_integers("other_seed", 7, 2, "", "seed"),
            (std::vector<std::int64_t>{7, 7}));
}

TEST(JsonInput, PerReplicaArrayOfTheWrongLengthIsAnError) {
  InputObject root = input_from(R"({"temperature_K": [300, 400, 500], "p": [1, -2]})");
  EXPECT_EQ(input_error_message([&] {
              root.per_replica_numbers("temperature_K", 300.0, 4, "K", "target",
                                       NumberRange::positive());
            }),
            "input.json: temperature_K: expected a positive number or an array of 4 (one per "
            "replica), got an array of length 3");
  EXPECT_EQ(input_error_message([&] {
              root.per_replica_numbers("p", 0.0, 2, "bar", "p", NumberRange::positive());
            }),
            "input.json: p[1]: expected a positive number, got -2");
}

TEST(JsonInput, ArraysCheckLengthAndElements) {
  InputObject root =
      input_from(R"({"cell": [1, 2], "stops": [900, "x"], "names": ["Cu", 3], "ids": [1, 2]})");
  EXPECT_EQ(input_error_message(
                [&] { root.numbers("cell", required, "A", "cell", LengthRange::exactly(3)); }),
            "input.json: cell: expected an array of numbers (length 3), got an array of length 2");
  EXPECT_EQ(input_error_message([&] { root.numbers("stops", {}, "K", "stops"); }),
            "input.json: stops[1]: expected a number, got \"x\"");
  EXPECT_EQ(input_error_message([&] { root.strings("names", {}, "names"); }),
            "input.json: names[1]: expected a string, got 3");
  EXPECT_EQ(root.integers("ids", {}, "", "ids", LengthRange::between(1, 4)),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(root.strings("species", {"Cu", "Zr"}, "species"),
            (std::vector<std::string>{"Cu", "Zr"}));
  EXPECT_EQ(root.effective_configuration()["species"], json({"Cu", "Zr"}));
}

TEST(JsonInput, ArrayOfObjectsHasIndexedPaths) {
  InputObject root = input_from(R"({"stops": [{"temperature_K": 900}, {"temperature_K": -5}]})");
  std::vector<InputObject> stops = root.objects("stops", "cooling stops", LengthRange::at_least(1));
  ASSERT_EQ(stops.size(), 2u);
  EXPECT_EQ(stops[0].number("temperature_K", required, "K", "stop", NumberRange::positive()), 900);
  EXPECT_EQ(input_error_message([&] {
              stops[1].number("temperature_K", required, "K", "stop", NumberRange::positive());
            }),
            "input.json: stops[1].temperature_K: expected a positive number, got -5");
  EXPECT_EQ(root.effective_configuration()["stops"][0]["temperature_K"], json(900.0));
  // Both elements declare one schema key.
  int count = 0;
  for (const KeyDeclaration& key : root.schema().keys()) {
    count += key.path == "stops[].temperature_K";
  }
  EXPECT_EQ(count, 1);
}

TEST(JsonInput, PathsResolveAgainstTheInputDirectory) {
  InputObject root = input_from(R"({"structure": "glass.data", "potential": "/abs/p.eam.fs"})");
  EXPECT_EQ(root.path("structure", required, "structure file"), "/data/run/glass.data");
  EXPECT_EQ(root.path("potential", "", "potential file"), "/abs/p.eam.fs");
  EXPECT_EQ(root.path("output", "results.h5", "results"), "/data/run/results.h5");
  EXPECT_EQ(root.effective_configuration()["structure"], json("/data/run/glass.data"));
}

TEST(JsonInput, SchemaRecordsEveryDeclaredKey) {
  InputObject root = input_from(R"({"md": {"steps": 5}})");
  InputObject md = root.object("md", "molecular dynamics");
  md.integer("steps", required, "", "number of steps", IntegerRange::non_negative());
  md.number("timestep_ps", 0.001, "ps", "integration time step", NumberRange::positive());
  const std::vector<KeyDeclaration>& keys = root.schema().keys();
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].path, "md");
  EXPECT_EQ(keys[1].path, "md.steps");
  EXPECT_EQ(keys[1].default_value, "required");
  EXPECT_EQ(keys[2].path, "md.timestep_ps");
  EXPECT_EQ(keys[2].unit, "ps");
  EXPECT_EQ(keys[2].default_value, "0.001");
  EXPECT_EQ(keys[2].description, "integration time step");
  EXPECT_NE(root.schema().markdown_table().find("| `md.timestep_ps` | number | ps | 0.001 |"),
            std::string::npos);
  EXPECT_EQ(root.schema().paths_missing_from("`md` and `md.steps`"),
            std::vector<std::string>{"md.timestep_ps"});
}

// The pattern for task tests: run the task's input reading, then check that docs/inputs.md
// documents every key it declared.
TEST(JsonInput, DocsDocumentEveryDeclaredKey) {
  std::ifstream docs(std::string(GLASSLAND_SOURCE_DIR) + "/docs/inputs.md");
  ASSERT_TRUE(docs.good()) << "docs/inputs.md is missing";
  std::stringstream text;
  text << docs.rdbuf();
  InputObject root = input_from(R"({"task": "md"})");
  root.string("task", required, "the task to run");
  EXPECT_EQ(root.schema().paths_missing_from(text.str()), std::vector<std::string>{});
  root.number("not_a_documented_key", 1.0, "", "a key nobody documented");
  EXPECT_EQ(root.schema().paths_missing_from(text.str()),
            std::vector<std::string>{"not_a_documented_key"});
}

TEST(JsonInput, CustomErrorNamesThePath) {
  InputObject root = input_from(R"({"md": {}})");
  InputObject md = root.object("md", "MD");
  EXPECT_STREQ(md.error("steps", "must be a multiple of md.thermo_every").what(),
               "input.json: md.steps: must be a multiple of md.thermo_every");
}

TEST(JsonInput, SyntaxErrorGivesLineAndColumn) {
  const std::string text = "{\n  \"a\": 1,\n  \"b\": }\n";
  EXPECT_EQ(input_error_message([&] {
              parse_json_text(text, "input.json");
            }).substr(0, std::string("input.json:3:8: JSON syntax error: ").size()),
            "input.json:3:8: JSON syntax error: ");
  // An unterminated object is reported at the end of the text.
  EXPECT_EQ(input_error_message([&] { parse_json_text("{\"a\": 1", "in.json"); }).substr(0, 11),
            "in.json:1:8");
}

// Found by fuzz_task_input (2026-12-06): a number beyond a double's range escaped as nlohmann's
// out_of_range, an internal error (exit 1) instead of an input error naming where it is.
TEST(JsonInput, NumberBeyondADoublesRangeIsAnInputErrorWithItsPosition) {
  EXPECT_EQ(input_error_message(
                [&] { parse_json_text("{\n  \"md\": {\"steps\": 1e400}}", "input.json"); }),
            "input.json:2:19: the number 1e400 is beyond the range of a double (about ±1.8e308)");
  // The fuzzer's own input: a bare number.
  EXPECT_NE(input_error_message([&] {
              parse_json_text("2222e222242222222222222222222222222222222", "fuzz.json");
            }).find("fuzz.json:1:1: the number 2222e2222"),
            std::string::npos);
}

TEST(JsonInput, DuplicateKeyIsAnError) {
  EXPECT_EQ(input_error_message(
                [&] { parse_json_text(R"({"md": {"steps": 1, "steps": 2}})", "input.json"); }),
            "input.json: md.steps: duplicate key");
}

TEST(JsonInput, LoadsFilesAndReportsTheirNames) {
  const std::string directory =
      (std::filesystem::temp_directory_path() / ("json_input_" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(directory);
  const std::string good = directory + "/good.json";
  const std::string bad = directory + "/bad.json";
  std::ofstream(good) << R"({"task": "md", "structure": "s.data"})";
  std::ofstream(bad) << "{\n\"task\": \"md\",,\n}";
  InputObject root = InputObject::from_file(good);
  EXPECT_EQ(root.string("task", required, "task"), "md");
  EXPECT_EQ(root.path("structure", required, "structure"), directory + "/s.data");
  EXPECT_EQ(input_error_message([&] { load_json_file(bad); }).substr(0, bad.size() + 5),
            bad + ":2:14");
  EXPECT_EQ(input_error_message([&] { load_json_file(directory + "/none.json"); }),
            directory + "/none.json: cannot open the input file");
  std::ofstream(bad) << "[1, 2]";
  EXPECT_EQ(input_error_message([&] { InputObject::from_file(bad); }),
            bad + ": expected a JSON object at the top level, got [1,2]");
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace glassland
