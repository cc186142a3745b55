// `glassland analyze` end to end: the program runs on tables written here (and on the examples
// in inputs/analyze/), and its JSON is checked against closed forms computed in this file.
//
// The combined example of issue 7 (barriers at several temperatures → ΔS with its standard
// error) is built so that the answer is known exactly: at T = 300…600 K each temperature has
// three barriers {m_T − d, m_T, m_T + d} with m_T = ΔQ − TΔS + e_T, e = (+1, −1, −1, +1)·0.01 eV.
// e is orthogonal to 1 and to T − T̄, so the least-squares line through the mean barriers is
// exactly ΔQ − TΔS, and its slope error is sqrt(s²/Σ(T − T̄)²) with s² = Σe²/(n − 2).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

constexpr double kB = 8.617333262e-5;

struct ProgramResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

ProgramResult run_program(const std::string& arguments) {
  const testing::ProgramResult r = testing::run_glassland(arguments);
  return {WEXITSTATUS(r.status), r.output};
}

nlohmann::json run_json(const std::string& arguments) {
  const ProgramResult r = run_program(arguments);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  try {
    return nlohmann::json::parse(r.output);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << r.output;
    return {};
  }
}

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

// The combined example: barriers of the same kind at four temperatures.
const double kDQ = 1.36, kDS = 19.6 * kB, kD = 0.05;
const double kT[4] = {300, 400, 500, 600};
const double kE[4] = {0.01, -0.01, -0.01, 0.01};
double mean_barrier(int i) {
  return kDQ - kT[i] * kDS + kE[i];
}

// Sequential effective barrier of {m − d, m, m + d}: m + kT ln((1 + 2 cosh(d/kT))/3).
double seq_barrier(int i) {
  const double kt = kB * kT[i];
  return mean_barrier(i) + kt * std::log((1.0 + 2.0 * std::cosh(kD / kt)) / 3.0);
}

// Ordinary least squares slope and its standard error, by hand.
void ols(const std::vector<double>& x, const std::vector<double>& y, double& slope, double& se) {
  const double n = x.size();
  double xm = 0, ym = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    xm += x[i] / n, ym += y[i] / n;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    sxx += (x[i] - xm) * (x[i] - xm), sxy += (x[i] - xm) * (y[i] - ym);
  slope = sxy / sxx;
  double rss = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    rss += std::pow(y[i] - ym - slope * (x[i] - xm), 2);
  se = std::sqrt(rss / (n - 2) / sxx);
}

void check_combined_example(const nlohmann::json& doc) {
  const auto& fits = doc["fits"];
  // Mean barrier: ΔS exactly 19.6 k_B, error sqrt((4·1e-4/2)/50000)/k_B = 0.7339 k_B.
  const double se_mean = std::sqrt(4e-4 / 2.0 / 50000.0);
  EXPECT_NEAR(fits["mean"]["entropy_kB"]["value"].get<double>(), 19.6, 1e-9);
  EXPECT_NEAR(fits["mean"]["entropy_kB"]["error"].get<double>(), se_mean / kB, 1e-9);
  EXPECT_NEAR(fits["mean"]["entropy_eV_per_K"]["value"].get<double>(), kDS, 1e-13);
  EXPECT_NEAR(fits["mean"]["intercept_0K_eV"]["value"].get<double>(), kDQ, 1e-12);
  // Sequential: against the closed form of each effective barrier and a hand OLS fit.
  std::vector<double> T(kT, kT + 4), G;
  for (int i = 0; i < 4; ++i)
    G.push_back(seq_barrier(i));
  double slope, se;
  ols(T, G, slope, se);
  EXPECT_NEAR(fits["sequential"]["entropy_kB"]["value"].get<double>(), -slope / kB, 1e-8);
  EXPECT_NEAR(fits["sequential"]["entropy_kB"]["error"].get<double>(), se / kB, 1e-8);
  ASSERT_EQ(doc["conditions"].size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto& c = doc["conditions"][i];
    EXPECT_EQ(c["temperature_K"].get<double>(), kT[i]);
    EXPECT_EQ(c["n"].get<int>(), 3);
    EXPECT_NEAR(c["sequential_eV"]["value"].get<double>(), seq_barrier(i), 1e-12);
    EXPECT_NEAR(c["mean_eV"]["value"].get<double>(), mean_barrier(i), 1e-12);
    // Bootstrap SE of a 3-value sample is positive and below the spread d.
    EXPECT_GT(c["mean_eV"]["standard_error"].get<double>(), 0.0);
    EXPECT_LT(c["mean_eV"]["standard_error"].get<double>(), kD);
  }
  // para < mixed < seq in ΔS ordering follows from the spread term: ΔS_seq > ΔS_para.
  EXPECT_GT(fits["sequential"]["entropy_kB"]["value"].get<double>(),
            fits["parallel"]["entropy_kB"]["value"].get<double>());
}

TEST(AnalyzeCommand, CombinedExampleFromSummaryJsonFiles) {
  // One metadynamics summary.json per temperature, each with an extra tracer whose event was not
  // found (skipped), as the metadynamics task writes them.
  const std::string dir = testing::make_scratch_dir("analyze_combined_json");
  std::string files;
  for (int i = 0; i < 4; ++i) {
    nlohmann::json s = {{"temperature_K", kT[i]}, {"tracers", nlohmann::json::array()}};
    for (int k = -1; k <= 1; ++k)
      s["tracers"].push_back(
          {{"tracer", k + 1}, {"barrier_eV", mean_barrier(i) + k * kD}, {"event_found", true}});
    s["tracers"].push_back({{"tracer", 3}, {"barrier_eV", 99.0}, {"event_found", false}});
    files += " " + write(dir, "summary_" + std::to_string(int(kT[i])) + "K.json", s.dump());
  }
  const nlohmann::json doc = run_json("analyze activation" + files);
  EXPECT_EQ(doc["skipped_records"].get<int>(), 4);
  EXPECT_EQ(doc["condition_column"], "temperature_K");
  check_combined_example(doc);
}

TEST(AnalyzeCommand, CombinedExampleFromOneCsvTableAndOutputFile) {
  const std::string dir = testing::make_scratch_dir("analyze_combined_csv");
  std::string csv = "# combined example\ntemperature_K,tracer,barrier_eV\n";
  for (int i = 3; i >= 0; --i)  // order of rows must not matter
    for (int k = -1; k <= 1; ++k)
      csv += num(kT[i]) + "," + std::to_string(k + 1) + "," + num(mean_barrier(i) + k * kD) + "\n";
  const std::string table = write(dir, "barriers.csv", csv);
  const std::string out = dir + "/activation.json";
  const ProgramResult r = run_program("analyze activation " + table + " --output " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "");  // everything went to the file
  std::ifstream in(out);
  ASSERT_TRUE(in.good());
  check_combined_example(nlohmann::json::parse(in));
}

TEST(AnalyzeCommand, ShippedCombinedExampleRuns) {
  // inputs/analyze/metad_summary_{300,400,500}K.json: synthetic, ΔS = 19.6 k_B plus noise
  // (make_examples.py). The mean-barrier ΔS must come back within 4 of its standard errors.
  const std::string d = std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/";
  const nlohmann::json doc = run_json("analyze activation " + d + "metad_summary_300K.json " + d +
                                      "metad_summary_400K.json " + d + "metad_summary_500K.json");
  const auto& m = doc["fits"]["mean"]["entropy_kB"];
  EXPECT_NEAR(m["value"].get<double>(), 19.6, 4.0 * m["error"].get<double>());
  EXPECT_EQ(doc["skipped_records"].get<int>(), 3);
  const nlohmann::json csv = run_json("analyze activation " + d + "barriers_vs_temperature.csv");
  const auto& c = csv["fits"]["mean"]["entropy_kB"];
  EXPECT_NEAR(c["value"].get<double>(), 19.6, 4.0 * c["error"].get<double>());
}

TEST(AnalyzeCommand, ActivationVolumeFromPressureTable) {
  // ΔG = 0.85 + V·P with V = 7.9 Å³ (exact data, one barrier per row, two rows per pressure).
  const std::string dir = testing::make_scratch_dir("analyze_volume");
  const double slope = 7.9 / 160.2176634;
  std::string csv = "pressure_GPa,barrier_eV\n";
  for (double p : {-2.0, -1.0, 0.0, 1.0, 2.0})
    for (int k = 0; k < 2; ++k)
      csv += num(p) + "," + num(0.85 + slope * p) + "\n";
  const std::string table = write(dir, "p.csv", csv);
  const nlohmann::json doc = run_json(
      "analyze activation --variable pressure -T 300 "
      "--atomic-volume 17.3 " +
      table);
  const auto& f = doc["fits"]["sequential"];
  EXPECT_NEAR(f["volume_A3"]["value"].get<double>(), 7.9, 1e-9);
  EXPECT_NEAR(f["volume_A3"]["error"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(f["volume_atomic"]["value"].get<double>(), 7.9 / 17.3, 1e-9);
  EXPECT_NEAR(f["intercept_0GPa_eV"]["value"].get<double>(), 0.85, 1e-12);
  // Without a temperature the command says what it needs.
  const ProgramResult r = run_program("analyze activation --variable pressure " + table);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("p.csv: an activation volume needs the temperature"), std::string::npos)
      << r.output;
}

TEST(AnalyzeCommand, BarriersFromSummaryAndArtEvents) {
  const std::string dir = testing::make_scratch_dir("analyze_barriers");
  // Two barriers at 300 K; the unfound event is skipped.
  const std::string summary =
      write(dir, "summary.json",
            R"({"temperature_K": 300, "tracers": [{"barrier_eV": 0.5, "event_found": true},
          {"barrier_eV": 0.7, "event_found": true}, {"event_found": false}]})");
  const nlohmann::json doc = run_json("analyze barriers --bin-width 0.1 --bootstrap 50 " + summary);
  ASSERT_EQ(doc["results"].size(), 1u);
  const auto& r = doc["results"][0];
  const double kt = kB * 300.0;
  EXPECT_EQ(r["temperature_K"].get<double>(), 300.0);
  EXPECT_EQ(r["sample"]["n"].get<int>(), 2);
  EXPECT_EQ(r["skipped_records"].get<int>(), 1);
  EXPECT_EQ(r["input_shape"], "metadynamics summary");
  EXPECT_NEAR(r["effective_barriers"]["parallel_eV"].get<double>(),
              -kt * std::log(0.5 * (std::exp(-0.5 / kt) + std::exp(-0.7 / kt))), 1e-12);
  EXPECT_NEAR(r["effective_barriers"]["sequential_eV"].get<double>(),
              kt * std::log(0.5 * (std::exp(0.5 / kt) + std::exp(0.7 / kt))), 1e-12);
  // Two values 0.2 apart with bins of 0.1: two occupied bins, S = ln 2, and the width reported.
  EXPECT_EQ(r["shannon"]["bin_width_eV"].get<double>(), 0.1);
  EXPECT_NEAR(r["shannon"]["entropy"].get<double>(), std::log(2.0), 1e-12);
  EXPECT_NEAR(r["shannon"]["diversity"].get<double>(), 2.0, 1e-12);
  // Default fits that need more data are listed as skipped, not fatal.
  bool two_mode_skipped = false;
  for (const auto& f : r["fits"])
    if (f["model"] == "two_mode")
      two_mode_skipped = f.contains("skipped");
  EXPECT_TRUE(two_mode_skipped);
  // A single barrier: para = seq = the barrier, entropy 0, diversity 1.
  const std::string one = write(dir, "one.csv", "barrier_eV\n0.84\n");
  const nlohmann::json single = run_json("analyze barriers -T 500 " + one);
  const auto& s = single["results"][0];
  EXPECT_NEAR(s["effective_barriers"]["parallel_eV"].get<double>(), 0.84, 1e-14);
  EXPECT_NEAR(s["effective_barriers"]["sequential_eV"].get<double>(), 0.84, 1e-14);
  EXPECT_EQ(s["shannon"]["entropy"].get<double>(), 0.0);
  EXPECT_EQ(s["shannon"]["diversity"].get<double>(), 1.0);

  // ART events: failed searches skipped; the shipped example has 300 successes and 5 failures.
  const std::string art = std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/art_events.json";
  const nlohmann::json art_doc =
      run_json("analyze barriers -T 300 --fit two_mode --bootstrap 0 " + art);
  const auto& a = art_doc["results"][0];
  EXPECT_EQ(a["sample"]["n"].get<int>(), 300);
  EXPECT_EQ(a["skipped_records"].get<int>(), 5);
  ASSERT_EQ(a["fits"].size(), 1u);
  const auto& p = a["fits"][0]["parameters"];
  // Drawn with W = 0.15, ε = 0.14, μ = 1.0, σ = 0.5 eV (make_examples.py); 4 standard errors.
  EXPECT_NEAR(p["W"]["value"].get<double>(), 0.15, 4.0 * p["W"]["error"].get<double>());
  // The binned χ² of the right model on its own data is unremarkable; the bin width is echoed.
  const auto& chi = a["fits"][0]["chi2_histogram"];
  EXPECT_EQ(chi["bin_width_eV"].get<double>(), 0.05);
  EXPECT_GT(chi["dof"].get<int>(), 5);
  EXPECT_GT(chi["p_value"].get<double>(), 1e-4);
  EXPECT_NEAR(p["mu_eV"]["value"].get<double>(), 1.0, 4.0 * p["mu_eV"]["error"].get<double>());
  EXPECT_NEAR(p["sigma_eV"]["value"].get<double>(), 0.5,
              4.0 * p["sigma_eV"]["error"].get<double>());
}

TEST(AnalyzeCommand, UndefinedFitParametersAreNullAndBarriersNonNegative) {
  // The 20 barriers of cu_barriers_300K.csv: one hump far from 0, so the two-mode fit has W = 0
  // and its ε is undefined (issue 16: printed as thousands of eV). A normal fitted to them at
  // 100 K: μ − σ²/2kT = 0.84 − 2.8 eV < 0; restricted to ΔG ≥ 0 the parallel barrier lies in
  // [0, μ].
  const std::string csv =
      std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/cu_barriers_300K.csv";
  const nlohmann::json doc =
      run_json("analyze barriers -T 100 --fit two_mode --fit normal --bootstrap 0 " + csv);
  const auto& fits = doc["results"][0]["fits"];
  ASSERT_EQ(fits.size(), 2u);
  for (const auto& f : fits) {
    if (f["model"] == "two_mode") {
      const auto& p = f["parameters"];
      EXPECT_EQ(p["W"]["value"].get<double>(), 0.0);
      EXPECT_TRUE(p["epsilon_eV"]["value"].is_null()) << p.dump();
      EXPECT_NE(p["epsilon_eV"]["undefined"].get<std::string>().find("W = 0"), std::string::npos);
      EXPECT_FALSE(p["mu_eV"]["value"].is_null());
    } else {
      const double mu = f["parameters"]["mu_eV"]["value"].get<double>();
      const double para = f["effective_barriers"]["parallel_eV"].get<double>();
      EXPECT_GE(para, 0.0) << f.dump();
      EXPECT_LE(para, mu);
    }
  }
}

// The nulls of an object (not of arrays: a covariance matrix's rows follow its parameters) that
// say nothing of why: an object with a null value must say why in "undefined", "<key>_undefined"
// or "note". Appends "path.key" of each one to `out`.
void unexplained_nulls(const nlohmann::json& j, const std::string& path,
                       std::vector<std::string>& out) {
  if (j.is_array()) {
    for (size_t k = 0; k < j.size(); ++k)
      if (!j[k].is_null())
        unexplained_nulls(j[k], path + "[" + std::to_string(k) + "]", out);
    return;
  }
  if (!j.is_object())
    return;
  for (const auto& [key, value] : j.items()) {
    if (value.is_null()) {
      if (!j.contains("undefined") && !j.contains(key + "_undefined") && !j.contains("note"))
        out.push_back(path + "." + key);
    } else {
      unexplained_nulls(value, path + "." + key, out);
    }
  }
}

// issue 16 item 3: no summary a user reads prints nan; a number that cannot be given is null
// with the reason. The samples where one is undefined: one barrier (no spread), one hump far from
// zero (two-mode W = 0: ε undefined; χ² with no degrees of freedom).
TEST(AnalyzeCommand, DegenerateSamplesPrintNoNanAndEveryNullSaysWhy) {
  const std::string dir = testing::make_scratch_dir("analyze_degenerate");
  const std::string one = write(dir, "one.csv", "barrier_eV\n0.84\n");
  const std::string same = write(dir, "same.csv", "barrier_eV\n0.84\n0.84\n0.84\n");
  const std::string csv =
      std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/cu_barriers_300K.csv";
  for (const std::string& arguments :
       {"analyze barriers -T 300 " + one, "analyze barriers -T 300 --bootstrap 20 " + same,
        "analyze barriers -T 100 --fit two_mode --fit normal --fit lognormal --bootstrap 20 " +
            csv}) {
    const ProgramResult r = run_program(arguments);
    ASSERT_EQ(r.exit_code, 0) << arguments << "\n" << r.output;
    for (const char* word : {"nan", "NaN", "inf", "Infinity"})
      EXPECT_EQ(r.output.find(word), std::string::npos) << arguments << ": " << word;
    std::vector<std::string> nulls;
    unexplained_nulls(nlohmann::json::parse(r.output), "", nulls);
    EXPECT_TRUE(nulls.empty()) << arguments << ": null without a reason at "
                               << ::testing::PrintToString(nulls);
  }
  const nlohmann::json single = run_json("analyze barriers -T 300 " + one);
  EXPECT_TRUE(single["results"][0]["sample"]["std_eV"].is_null());
  EXPECT_NE(single["results"][0]["sample"]["std_eV_undefined"].get<std::string>().find("one value"),
            std::string::npos);
}

TEST(AnalyzeCommand, Paper000Table1ThroughTheProgram) {
  const std::string params =
      std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/paper000_table1.json";
  const nlohmann::json doc = run_json("analyze tst --parameters " + params);
  // D(0.53) = 4.72e-16 (paper 4.8e-16, within the rounding of ΔG), D(1.33) = 1.72e-29 (paper
  // 2.5e-29 corresponds to 1.32 eV; see tests/analysis/test_tst_kinetics.cpp), D0 = 123 m²/s.
  EXPECT_NEAR(doc["barriers"][0]["D_m2_per_s"].get<double>(), 4.725e-16, 0.001e-16);
  EXPECT_NEAR(doc["barriers"][1]["D_m2_per_s"].get<double>(), 1.718e-29, 0.001e-29);
  EXPECT_NEAR(doc["D0_m2_per_s"].get<double>(), 1.2e2, 0.05e2);
  EXPECT_NEAR(doc["critical_barriers"][0]["barrier_eV"].get<double>(), 0.95, 0.005);
  // Command-line options override the file: ΔG = 1.32 eV gives the paper's 2.5e-29.
  const nlohmann::json o = run_json("analyze tst --parameters " + params + " --barrier 1.32");
  ASSERT_EQ(o["barriers"].size(), 1u);
  EXPECT_NEAR(o["barriers"][0]["D_m2_per_s"].get<double>(), 2.5e-29, 0.05e-29);
}

TEST(AnalyzeCommand, BadTablesGiveOneLineNamingFileRowAndColumn) {
  const std::string dir = testing::make_scratch_dir("analyze_errors");
  const std::string nonnum =
      write(dir, "nonnum.csv", "temperature_K,barrier_eV\n300,0.5\n300,abc\n400,0.4\n");
  ProgramResult r = run_program("analyze activation " + nonnum);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "glassland: error: " + nonnum +
                          ":3: row 2, column 'barrier_eV': 'abc' is not a finite number\n");

  const std::string missing = write(dir, "missing.csv", "T,dG\n300,0.5\n");
  r = run_program("analyze barriers -T 300 " + missing);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "glassland: error: " + missing +
                          ": column 'barrier_eV': missing column (the table has 'T', 'dG')\n");

  const std::string few =
      write(dir, "few.csv", "temperature_K,barrier_eV\n300,0.5\n300,0.6\n400,0.4\n");
  r = run_program("analyze activation " + few);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(few + ": column 'temperature_K': 2 distinct value(s) (300, 400) in 3 "
                                "rows; a linear fit of ΔG against T with a standard error needs "
                                "at least 3"),
            std::string::npos)
      << r.output;

  const std::string json = write(dir, "summary.json",
                                 R"({"temperature_K": 300, "tracers": [{"barrier_eV": 0.5},
                                     {"barrier_eV": "n/a"}]})");
  r = run_program("analyze barriers " + json);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output,
            "glassland: error: " + json +
                ": row 2 (tracers[1]), column 'barrier_eV': 'n/a' is not a finite number\n");

  const std::string kink = write(dir, "kink.csv", "T,V\n300,1\n400,2\n500,3\n");
  r = run_program("analyze fit --model kink --x T --y V " + kink);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "glassland: error: " + kink +
                          ": a kink fit of 'V' against 'T' needs at least 5 data rows, the table "
                          "has 3\n");

  // An explicitly requested fit that the sample cannot support is an error, not a silent skip.
  const std::string two = write(dir, "two.csv", "barrier_eV\n0.5\n0.7\n");
  r = run_program("analyze barriers -T 300 --fit two_mode " + two);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("the two_mode fit needs at least 5 values, the sample has 2"),
            std::string::npos)
      << r.output;
}

TEST(AnalyzeCommand, FitAndEntropySubcommands) {
  const std::string d = std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/";
  // T_g from the synthetic volume curve (kink at 690 K): within 4 standard errors.
  const nlohmann::json k = run_json("analyze fit --model kink --x temperature_K --y volume_A3 " +
                                    d + "glass_transition.csv");
  const auto& kx = k["parameters"]["kink_x"];
  EXPECT_NEAR(kx["value"].get<double>(), 690.0, 4.0 * kx["error"].get<double>());
  // Arrhenius: Q = 0.432 eV within 4 standard errors.
  const nlohmann::json a = run_json(
      "analyze fit --model arrhenius --x temperature_K "
      "--y D_m2_per_s " +
      d + "liquid_diffusivity.csv");
  const auto& q = a["parameters"]["Q_eV"];
  EXPECT_NEAR(q["value"].get<double>(), 0.432, 4.0 * q["error"].get<double>());
  // Voronoi labels with counts: S = −Σ p ln p of the counts, computed here.
  const nlohmann::json e = run_json(
      "analyze entropy --column index --categorical "
      "--weight-column count " +
      d + "voronoi_counts.csv");
  const double counts[10] = {310, 402, 350, 221, 295, 180, 166, 95, 140, 90};
  double total = 0, S = 0;
  for (double c : counts)
    total += c;
  for (double c : counts)
    S -= c / total * std::log(c / total);
  EXPECT_NEAR(e["entropy"].get<double>(), S, 1e-12);
  EXPECT_NEAR(e["diversity"].get<double>(), std::exp(S), 1e-9);
  EXPECT_EQ(e["occupied"].get<int>(), 10);
}

TEST(AnalyzeCommand, JsonTableShapesAndErrorColumn) {
  const std::string dir = testing::make_scratch_dir("analyze_json_shapes");
  // The same three effective barriers with standard errors, in three JSON layouts. With
  // --error-column each row is one condition and the fit is weighted by 1/σ² (absolute):
  // for y = {1.0, 0.9, 0.8} at T = {300, 400, 500}, σ = 0.01 each, the slope is −1e-3 eV/K
  // exactly and its error σ/sqrt(Σ(T − T̄)²) = 0.01/sqrt(20000).
  const std::string rows =
      write(dir, "rows.json", R"({"columns": ["temperature_K", "barrier_eV", "se"],
      "rows": [[300, 1.0, 0.01], [400, 0.9, 0.01], [500, 0.8, 0.01]]})");
  const std::string records = write(dir, "records.json", R"([
      {"temperature_K": 300, "barrier_eV": 1.0, "se": 0.01},
      {"temperature_K": 400, "barrier_eV": 0.9, "se": 0.01},
      {"temperature_K": 500, "barrier_eV": 0.8, "se": 0.01}])");
  const std::string columns = write(dir, "columns.json", R"({"temperature_K": [300, 400, 500],
      "barrier_eV": [1.0, 0.9, 0.8], "se": [0.01, 0.01, 0.01]})");
  for (const std::string& f : {rows, records, columns}) {
    const nlohmann::json doc = run_json("analyze activation --error-column se " + f);
    const auto& m = doc["fits"]["mean"];
    EXPECT_NEAR(m["entropy_eV_per_K"]["value"].get<double>(), 1e-3, 1e-14) << f;
    EXPECT_NEAR(m["entropy_eV_per_K"]["error"].get<double>(), 0.01 / std::sqrt(20000.0), 1e-14)
        << f;
    EXPECT_NEAR(m["intercept_0K_eV"]["value"].get<double>(), 1.3, 1e-12) << f;
    EXPECT_EQ(doc["weighting"], "error column se");
  }
  // Two rows at one condition with --error-column is ambiguous: an error naming the column.
  const std::string twice = write(dir, "twice.csv",
                                  "temperature_K,barrier_eV,se\n300,1.0,0.01\n300,1.1,0.01\n"
                                  "400,0.9,0.01\n");
  const ProgramResult r = run_program("analyze activation --error-column se " + twice);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(twice + ": column 'temperature_K': 2 rows at temperature_K = 300"),
            std::string::npos)
      << r.output;
  // A numeric histogram entropy of four equally filled bins is ln 4.
  const std::string h = write(dir, "h.csv", "x\n0.05\n0.15\n0.25\n0.35\n");
  const nlohmann::json e =
      run_json("analyze entropy --column x --bin-width 0.1 --bin-origin 0 " + h);
  EXPECT_NEAR(e["entropy"].get<double>(), std::log(4.0), 1e-12);
  EXPECT_EQ(e["bins"].get<int>(), 4);
  EXPECT_EQ(e["bin_width"].get<double>(), 0.1);
}

// `--fit` takes one value each time it is given (or a comma-separated list), so that the file
// after it is a file: `--fit two_mode FILE` used to read FILE as a second fit name.
TEST(AnalyzeCommand, FitOptionTakesOneValueSoTheFileAfterItIsAFile) {
  const std::string events = std::string(GLASSLAND_SOURCE_DIR) + "/inputs/analyze/art_events.json";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"--fit two_mode " + events + " -T 300", {"two_mode"}},
      {"--bin-width 0.1 --fit lognormal " + events + " -T 300", {"lognormal"}},
      {"--fit normal --fit two_mode " + events + " -T 300", {"normal", "two_mode"}},
      {"--fit normal,lognormal " + events + " -T 300", {"normal", "lognormal"}},
  };
  for (const auto& [arguments, models] : cases) {
    const nlohmann::json doc = run_json("analyze barriers " + arguments);
    ASSERT_EQ(doc["results"].size(), 1u) << arguments;
    std::vector<std::string> fitted;
    for (const auto& fit : doc["results"][0]["fits"])
      fitted.push_back(fit["model"].get<std::string>());
    EXPECT_EQ(fitted, models) << arguments;
  }
}

// A JSON record without the label key is an error naming the record, not a category "".
TEST(AnalyzeCommand, CategoricalEntropyRefusesARecordWithoutTheLabel) {
  const std::string dir = testing::make_scratch_dir("analyze_entropy_label");
  const std::string records = write(
      dir, "records.json", R"([{"index": "<0,0,12,0>"}, {"count": 2}, {"index": "<0,2,8,2>"}])");
  const ProgramResult r = run_program("analyze entropy --column index --categorical " + records);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "glassland: error: " + records +
                          ": row 2 ([1]), column 'index': no label (a record without the key, or "
                          "an empty cell); every row needs one\n");
  // With every label present, two categories of one row each: ln 2.
  const std::string good =
      write(dir, "good.json", R"([{"index": "<0,0,12,0>"}, {"index": "<0,2,8,2>"}])");
  const nlohmann::json e = run_json("analyze entropy --column index --categorical " + good);
  EXPECT_NEAR(e["entropy"].get<double>(), std::log(2.0), 1e-12);
}

// A temperature_K column that contradicts --temperature is an error naming the row (it was
// silently replaced by -T); one that agrees is accepted.
TEST(AnalyzeCommand, TstRefusesATableTemperatureThatContradictsTheGivenOne) {
  const std::string dir = testing::make_scratch_dir("analyze_tst_temperature");
  const std::string table = write(dir, "b.csv", "barrier_eV,temperature_K\n0.5,300\n0.6,300\n");
  const ProgramResult r = run_program("analyze tst --table " + table + " -T 400");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "glassland: error: " + table +
                          ":2: row 1, column 'temperature_K': 300 K differs from the temperature "
                          "given, 400 K (--temperature or the parameters file); analyze tst "
                          "takes one temperature: leave out --temperature to use the table's\n");
  EXPECT_EQ(run_json("analyze tst --table " + table + " -T 300")["temperature_K"].get<double>(),
            300.0);
  EXPECT_EQ(run_json("analyze tst --table " + table)["temperature_K"].get<double>(), 300.0);
}

}  // namespace
}  // namespace glassland
