#include "analysis/standard_atomic_weights.hpp"

#include <map>

namespace glassland::analysis {

std::optional<double> standard_atomic_weight(const std::string& element) {
  static const std::map<std::string, double> weights = {
      {"H", 1.008},      {"Li", 6.94},       {"Be", 9.0121831},  {"B", 10.81},
      {"C", 12.011},     {"N", 14.007},      {"O", 15.999},      {"Na", 22.98976928},
      {"Mg", 24.305},    {"Al", 26.9815385}, {"Si", 28.085},     {"P", 30.973761998},
      {"Ar", 39.948},    {"K", 39.0983},     {"Ca", 40.078},     {"Ti", 47.867},
      {"V", 50.9415},    {"Cr", 51.9961},    {"Mn", 54.938044},  {"Fe", 55.845},
      {"Co", 58.933194}, {"Ni", 58.6934},    {"Cu", 63.546},     {"Zn", 65.38},
      {"Ga", 69.723},    {"Ge", 72.630},     {"Y", 88.90584},    {"Zr", 91.224},
      {"Nb", 92.90637},  {"Mo", 95.95},      {"Pd", 106.42},     {"Ag", 107.8682},
      {"Sn", 118.710},   {"La", 138.90547},  {"Ce", 140.116},    {"Nd", 144.242},
      {"Gd", 157.25},    {"Er", 167.259},    {"Hf", 178.49},     {"Ta", 180.94788},
      {"W", 183.84},     {"Pt", 195.084},    {"Au", 196.966569}, {"Pb", 207.2}};
  const auto it = weights.find(element);
  if (it == weights.end())
    return std::nullopt;
  return it->second;
}

}  // namespace glassland::analysis
