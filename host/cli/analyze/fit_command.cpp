// `glassland analyze fit`: linear, Arrhenius, VFT or kink (piecewise-linear, e.g. T_g)
// least-squares fit of one column against another, with parameter errors and covariance
// (docs/analyze.md).
#include <memory>
#include <vector>

#include "analysis/regression.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

namespace {

struct FitOptions {
  std::string file;
  std::string model = "linear";
  std::string x, y, sigma;
  std::string output;
};

// Rows enough for the model, and values in its domain (positive y for a logarithm, positive
// temperatures, positive errors).
void check_fit_input(const ga::Table& t, const FitOptions& o, const std::vector<double>& x,
                     const std::vector<double>& y, const std::vector<double>& s) {
  const std::size_t need = o.model == "kink" ? 5 : o.model == "vft" ? 4 : 3;
  t.require_rows(o.sigma.empty() || o.model != "linear" ? need : 2,
                 "a " + o.model + " fit of '" + o.y + "' against '" + o.x + "'");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if ((o.model == "arrhenius" || o.model == "vft") && !(y[r] > 0.0))
      throw t.error_at(r, o.y, "an " + o.model + " fit needs positive values");
    if ((o.model == "arrhenius") && !(x[r] > 0.0))
      throw t.error_at(r, o.x, "temperatures must be positive");
    if (!s.empty() && !(s[r] > 0.0))
      throw t.error_at(r, o.sigma, "errors must be positive");
  }
}

// The goodness of the fit, next to its parameters: chi2, dof and, for a straight line, r_squared.
void add_goodness(json& doc, double chi2, std::size_t dof) {
  doc["chi2"] = chi2;
  doc["dof"] = dof;
}
void add_goodness(json& doc, const ga::LinearFit& line) {
  add_goodness(doc, line.chi2, line.dof);
  doc["r_squared"] = line.r_squared;
}

// The model's parameters; chi2, dof (and r_squared where defined) go into doc.
json fit_parameters(const FitOptions& o, const std::vector<double>& x, const std::vector<double>& y,
                    const std::vector<double>& s, json& doc) {
  if (o.model == "linear") {
    const ga::LinearFit f = ga::linear_fit(x, y, s);
    add_goodness(doc, f);
    return {{"slope", value_error(f.slope, f.slope_error)},
            {"intercept", value_error(f.intercept, f.intercept_error)},
            {"covariance_slope_intercept", f.covariance}};
  }
  if (o.model == "arrhenius") {
    const ga::ArrheniusFit f = ga::arrhenius_fit(x, y, s);
    add_goodness(doc, f.line);
    return {{"Q_eV", value_error(f.Q_eV, f.Q_error_eV)},
            {"prefactor", value_error(f.prefactor, f.prefactor_error)},
            {"ln_prefactor", value_error(f.ln_prefactor, f.ln_prefactor_error)},
            {"covariance_Q_ln_prefactor", f.covariance_Q_ln_prefactor}};
  }
  if (o.model == "vft") {
    const ga::VftFit f = ga::vft_fit(x, y, s);
    add_goodness(doc, f.chi2, f.dof);
    return {{"y0", value_error(f.y0, f.y0_error)},
            {"ln_y0", value_error(f.ln_y0, f.ln_y0_error)},
            {"B_K", value_error(f.B_K, f.B_error_K)},
            {"T0_K", value_error(f.T0_K, f.T0_error_K)},
            {"covariance_ln_y0_B_T0", f.covariance}};
  }
  const ga::KinkFit f = ga::kink_fit(x, y, s);
  add_goodness(doc, f.chi2, f.dof);
  return {{"kink_x", value_error(f.kink_x, f.kink_x_error)},
          {"kink_y", value_error(f.kink_y, f.kink_y_error)},
          {"slope_below", value_error(f.slope_below, f.slope_below_error)},
          {"slope_above", value_error(f.slope_above, f.slope_above_error)},
          {"covariance_a_b1_b2_xk", f.covariance}};
}

void run_fit(const FitOptions& o) {
  const LoadedTable lt = load_table(o.file);
  const ga::Table& t = lt.table;
  const std::vector<double> x = t.numbers(o.x), y = t.numbers(o.y);
  std::vector<double> s;
  if (!o.sigma.empty())
    s = t.numbers(o.sigma);
  check_fit_input(t, o, x, y, s);
  json doc = {{"command", "analyze fit"}, {"source", o.file}, {"model", o.model},
              {"x_column", o.x},          {"y_column", o.y},  {"n", t.rows()}};
  if (!o.sigma.empty())
    doc["sigma_column"] = o.sigma;
  const json parameters = fit_parameters(o, x, y, s, doc);
  doc["parameters"] = parameters;
  emit(doc, o.output);
}

}  // namespace

void register_analyze_fit(CLI::App& analyze) {
  auto o = std::make_shared<FitOptions>();
  CLI::App* c = analyze.add_subcommand(
      "fit", "Linear, Arrhenius, VFT or kink (piecewise-linear, e.g. T_g) fit of two columns");
  c->add_option("file", o->file, "CSV/JSON table")->required()->check(CLI::ExistingPath);
  c->add_option("--model", o->model, "linear, arrhenius, vft or kink")
      ->capture_default_str()
      ->check(CLI::IsMember({"linear", "arrhenius", "vft", "kink"}));
  c->add_option("--x", o->x, "x column (temperature in K for arrhenius and vft)")->required();
  c->add_option("--y", o->y, "y column")->required();
  c->add_option("--sigma", o->sigma, "column of standard errors of y (absolute weights)");
  add_output_option(*c, o->output);
  c->callback([o]() { guarded("fit", [&] { run_fit(*o); }); });
}

}  // namespace glassland::analyze_cli
