// The catalog of CT and VT models: calibration, turns and phase data per model name.
//
// The data format is the original IoTaWatt `tables.txt`:
//   {"version": "...", "VT": [entry...], "CT": [entry...]}
// with entries {"model", "mfg"?, "type"?, "turns"?, "cal"?, "phase"?, "p50"?, "p60"?}.
// CT types: "C" current output (turns; needs a burden resistor, cal = turns/burden),
// "V" voltage output (cal = amps per volt; no burden), "U" generic (the user gives the
// values). VTs have no type, or "U" for the generic entries.
//
// Lookups match model names exactly. The original firmware found a model by the first
// substring occurrence in the file, so a name that is a prefix of an earlier entry could
// pick up another model's phase arrays (firmware reference §1.5, §14 item 12).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "measure/phase_curve.h"

namespace iw::config {

enum class ModelType {
  kNone,     // no "type" key (ordinary VT entries)
  kCurrent,  // "C"
  kVoltage,  // "V"
  kGeneric,  // "U"
};

struct ModelEntry {
  std::string model;
  std::string mfg;  // empty when not given
  ModelType type = ModelType::kNone;
  std::optional<double> turns;   // type C CTs
  std::optional<double> cal;     // VTs, type V CTs
  std::optional<double> phase;   // static lead in degrees
  std::vector<double> p50, p60;  // level-dependent leads, see measure/phase_curve.h

  // Static fallback 0 when the entry has no phase.
  measure::PhaseCurve phase_table() const { return {phase.value_or(0.0), p50, p60}; }
  bool operator==(const ModelEntry&) const = default;
};

class ModelCatalog {
 public:
  ModelCatalog() = default;

  // Parses a tables.txt document. All problems are reported at once, one line each, named
  // by path, e.g. `CT[3].p60: thresholds must increase: 8 (element 3) follows 12`.
  // Model names must be unique within each list.
  static Result<ModelCatalog> parse(std::string_view tables_txt);
  static Result<ModelCatalog> from_json(const nlohmann::json& tables);

  // The catalog compiled into the program (builtin_tables.cc). Parsed once, on first use.
  static const ModelCatalog& builtin();

  // Exact, case-sensitive name match; nullptr when absent.
  const ModelEntry* find_vt(std::string_view model) const;
  const ModelEntry* find_ct(std::string_view model) const;

  const std::vector<ModelEntry>& vts() const { return vt_; }
  const std::vector<ModelEntry>& cts() const { return ct_; }
  const std::string& version() const { return version_; }

  // Up to `limit` names from the VT or CT list that look like `model` (small edit distance,
  // ignoring case, or one name containing the other), closest first. For error messages.
  std::vector<std::string> close_matches(std::string_view model, bool ct, size_t limit = 3) const;

  // This catalog with `user`'s entries added; a user entry replaces a built-in one of the
  // same name. The version is this catalog's unless the user's is set.
  ModelCatalog merged_with(const ModelCatalog& user) const;

  // Back to the tables.txt shape.
  nlohmann::json to_json() const;

 private:
  std::string version_;
  std::vector<ModelEntry> vt_;
  std::vector<ModelEntry> ct_;
};

// "C", "V", "U", or "" for kNone.
const char* to_string(ModelType type);

// The tables.txt text compiled into the program (builtin_tables.cc).
std::string_view builtin_tables_text();

}  // namespace iw::config
