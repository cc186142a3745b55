// `glassland analyze tst`: transition-state-theory rates and hop times, diffusivity D and
// prefactor D0, and critical barriers k_BT ln(τ/τ0), from barriers given on the command line, in
// a parameters file or in a table column (SPEC.md §6; docs/analyze.md).
#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "analysis/constants.hpp"
#include "analysis/tst_kinetics.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

namespace {

struct TstOptions {
  std::string parameters;  // JSON file
  std::string table;       // barriers from a table column
  std::string column = "barrier_eV";
  std::vector<double> barriers;
  double temperature = kNaN;
  double a_eff = kNaN;
  double nu0 = 3.0e12;
  double g = 1.0 / 6.0;
  double f = 1.0;
  double entropy_kB = kNaN;
  std::vector<double> taus;
  double tau0 = 1e-14;
  std::string output;
  // Which options were given on the command line (they override the parameters file).
  std::set<std::string> given;
};

// Values of the parameters file, each taken unless its option was given on the command line.
class ParametersFile {
 public:
  ParametersFile(const std::string& path, const TstOptions& o)
      : path_(path), p_(read_json_file(path)), given_(o.given) {
    if (!p_.is_object())
      throw InputError(path_ + ": expected a JSON object");
    static const std::set<std::string> keys{
        "barriers_eV", "temperature_K",      "a_eff_A", "nu0_per_s", "g",     "f",
        "entropy_kB",  "observation_time_s", "tau0_s",  "comment",   "source"};
    for (const auto& [k, v] : p_.items())
      if (!keys.count(k))
        throw InputError(path_ + ": unknown key '" + k +
                         "' (expected barriers_eV, temperature_K, a_eff_A, nu0_per_s, g, f, "
                         "entropy_kB, observation_time_s, tau0_s, comment, source)");
  }

  void number(const char* key, const char* option, double& target) const {
    if (!p_.contains(key) || given_.count(option))
      return;
    if (!p_[key].is_number())
      throw InputError(path_ + ": " + key + ": expected a number, got " + p_[key].dump());
    target = p_[key].get<double>();
  }

  // One number or an array of numbers.
  void numbers(const char* key, const char* option, std::vector<double>& target) const {
    if (!p_.contains(key) || given_.count(option))
      return;
    const json& v = p_[key];
    target.clear();
    if (v.is_number()) {
      target.push_back(v.get<double>());
      return;
    }
    if (!v.is_array())
      throw InputError(path_ + ": " + key + ": expected numbers");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number())
        throw InputError(path_ + ": " + key + "[" + std::to_string(i) +
                         "]: expected a number, got " + v[i].dump());
      target.push_back(v[i].get<double>());
    }
  }

 private:
  std::string path_;
  json p_;
  const std::set<std::string>& given_;
};

void apply_parameters_file(TstOptions& o) {
  const ParametersFile p(o.parameters, o);
  p.numbers("barriers_eV", "--barrier", o.barriers);
  p.number("temperature_K", "--temperature", o.temperature);
  p.number("a_eff_A", "--a-eff", o.a_eff);
  p.number("nu0_per_s", "--nu0", o.nu0);
  p.number("g", "--g", o.g);
  p.number("f", "--f", o.f);
  p.number("entropy_kB", "--entropy-kB", o.entropy_kB);
  p.numbers("observation_time_s", "--tau", o.taus);
  p.number("tau0_s", "--tau0", o.tau0);
}

// Barriers of the --table column, and its one temperature: the table's temperature_K column
// must hold one value, and agree with a temperature given otherwise (--temperature or the
// parameters file), which would else silently replace the table's.
void add_table_barriers(TstOptions& o) {
  const LoadedTable lt = load_table(o.table);
  lt.table.require_rows(1, "analyze tst");
  const auto b = lt.table.numbers(o.column);
  o.barriers.insert(o.barriers.end(), b.begin(), b.end());
  if (!lt.table.has_column("temperature_K"))
    return;
  const auto T = lt.table.numbers("temperature_K");
  const bool given = !std::isnan(o.temperature);
  const double temperature = given ? o.temperature : T[0];
  for (std::size_t r = 0; r < T.size(); ++r)
    if (T[r] != temperature)
      throw lt.table.error_at(
          r, "temperature_K",
          given ? number_text(T[r]) + " K differs from the temperature given, " +
                      number_text(temperature) +
                      " K (--temperature or the parameters file); analyze tst takes one "
                      "temperature: leave out --temperature to use the table's"
                : "analyze tst takes one temperature; this row differs from row 1");
  o.temperature = temperature;
}

json critical_barriers(const TstOptions& o, double kT) {
  json crit = json::array();
  for (double tau : o.taus) {
    const double q = ga::critical_barrier(tau, o.temperature, o.tau0);
    crit.push_back({{"observation_time_s", tau},
                    {"tau0_s", o.tau0},
                    {"barrier_eV", q},
                    {"barrier_kT", q / kT}});
  }
  return crit;
}

void run_tst(TstOptions o) {
  if (!o.parameters.empty())
    apply_parameters_file(o);
  if (!o.table.empty())
    add_table_barriers(o);
  const std::string src = o.parameters.empty() ? "analyze tst" : o.parameters;
  if (std::isnan(o.temperature))
    throw InputError(src + ": no temperature: give --temperature (or temperature_K)");
  if (o.barriers.empty() && o.taus.empty() && std::isnan(o.entropy_kB))
    throw InputError(src + ": nothing to compute: give --barrier, --table, --entropy-kB or --tau");
  const bool geometry = !std::isnan(o.a_eff);
  ga::DiffusionGeometry geo;
  geo.g = o.g;
  geo.f = o.f;
  geo.a_eff_A = o.a_eff;
  geo.nu0_per_s = o.nu0;
  const double kT = ga::kBoltzmann_eV_per_K * o.temperature;
  json doc = {{"command", "analyze tst"},
              {"temperature_K", o.temperature},
              {"kT_eV", kT},
              {"nu0_per_s", o.nu0},
              {"g", o.g},
              {"f", o.f}};
  if (geometry) {
    doc["a_eff_A"] = o.a_eff;
    doc["prefactor_gfa2nu0_m2_per_s"] = o.g * o.f * std::pow(o.a_eff * 1e-10, 2) * o.nu0;
  }
  json rows = json::array();
  std::vector<double> ds;
  for (double b : o.barriers) {
    json r = {{"barrier_eV", b},
              {"barrier_kT", b / kT},
              {"rate_per_s", ga::hop_rate(o.nu0, b, o.temperature)},
              {"hop_time_s", ga::hop_time(o.nu0, b, o.temperature)}};
    if (geometry) {
      const double d = ga::tst_diffusivity(geo, b, o.temperature);
      r["D_m2_per_s"] = d;
      ds.push_back(d);
    }
    rows.push_back(r);
  }
  doc["barriers"] = rows;
  if (!ds.empty())
    doc["D_range_m2_per_s"] = {*std::min_element(ds.begin(), ds.end()),
                               *std::max_element(ds.begin(), ds.end())};
  if (!std::isnan(o.entropy_kB)) {
    if (!geometry)
      throw InputError(src + ": D0 needs --a-eff (a_eff_A), the effective hop length in Å");
    doc["entropy_kB"] = o.entropy_kB;
    doc["D0_m2_per_s"] = ga::tst_prefactor(geo, o.entropy_kB);
  }
  const json crit = critical_barriers(o, kT);
  if (!crit.empty())
    doc["critical_barriers"] = crit;
  emit(doc, o.output);
}

}  // namespace

void register_analyze_tst(CLI::App& analyze) {
  auto o = std::make_shared<TstOptions>();
  CLI::App* c = analyze.add_subcommand(
      "tst", "TST rates, hop times, diffusivity D and prefactor D0, critical barriers");
  c->add_option("--parameters", o->parameters, "JSON file of parameters (options override it)")
      ->check(CLI::ExistingFile);
  c->add_option("--table", o->table, "table with a barrier column (and temperature_K)")
      ->check(CLI::ExistingPath);
  c->add_option("--column", o->column, "barrier column of --table")->capture_default_str();
  // Options that override the parameters file, with the name it is recorded under when given.
  std::vector<std::pair<CLI::Option*, std::string>> opts;
  opts.push_back({c->add_option("--barrier", o->barriers, "barriers ΔG in eV"), "--barrier"});
  opts.push_back(
      {c->add_option("--temperature,-T", o->temperature, "temperature in K"), "--temperature"});
  opts.push_back({c->add_option("--a-eff", o->a_eff, "effective hop length a_eff in Å")
                      ->check(CLI::PositiveNumber),
                  "--a-eff"});
  opts.push_back({c->add_option("--nu0", o->nu0, "attempt frequency ν0 in 1/s")
                      ->capture_default_str()
                      ->check(CLI::PositiveNumber),
                  "--nu0"});
  opts.push_back({c->add_option("--g", o->g, "geometric factor g")->capture_default_str(), "--g"});
  opts.push_back(
      {c->add_option("--f", o->f, "correlation factor f")->capture_default_str(), "--f"});
  opts.push_back(
      {c->add_option("--entropy-kB", o->entropy_kB, "activation entropy ΔS in k_B (for D0)"),
       "--entropy-kB"});
  opts.push_back({c->add_option("--tau", o->taus,
                                "observation times τ in s for the critical barrier k_BT ln(τ/τ0)"),
                  "--tau"});
  opts.push_back({c->add_option("--tau0", o->tau0, "τ0 in s")->capture_default_str(), "--tau0"});
  add_output_option(*c, o->output);
  c->callback([o, opts]() {
    for (const auto& [opt, name] : opts)
      if (opt->count() > 0)
        o->given.insert(name);
    guarded("tst", [&] { run_tst(*o); });
  });
}

}  // namespace glassland::analyze_cli
