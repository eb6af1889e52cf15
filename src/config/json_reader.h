// Lenient, error-collecting reads of JSON values, shared by the config parser and the model
// catalog. Internal to src/config: other folders use the typed structs, never JSON keys.
//
// Leniency follows ArduinoJson 5, which the original firmware used: a number may be given as
// a string ("channels": "15", "timezone": "-5"), and a boolean as a string ("true"/"false")
// or as 0/1. A `null` value counts as absent. Every read that finds a present but unusable
// value records one problem line "<path>: <what is wrong>" and returns nullopt, so a caller
// can go on and collect all the problems of a document in one pass.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iw::config::detail {

using nlohmann::json;

// One line per problem, in the order found.
class Problems {
 public:
  void add(std::string_view path, std::string_view what);
  bool empty() const { return lines_.empty(); }
  size_t size() const { return lines_.size(); }
  const std::vector<std::string>& lines() const { return lines_; }
  // All lines joined with '\n'.
  std::string joined() const;

 private:
  std::vector<std::string> lines_;
};

// "device" + "channels" -> "device.channels"; "" + "device" -> "device".
std::string key_path(std::string_view base, std::string_view key);
// "inputs" + 3 -> "inputs[3]".
std::string index_path(std::string_view base, size_t index);

// A short rendering of a value for messages: strings quoted, numbers as written, containers
// named ("an object", "an array of 3").
std::string describe(const json& v);
// A number for output: whole values as JSON integers ("turns": 2000, not 2000.0), as the
// original UI writes them. Reads back to the same double.
json number_value(double v);
json number_values(const std::vector<double>& v);

// Shortest decimal form of a number ("20", "0.25", "-5").
std::string num(double v);

// Parses JSON text (base/json_read.h: at most 64 levels deep); comments are allowed, as
// ArduinoJson allowed them. On error records one problem and returns nullopt:
// "<what>: JSON syntax error at line L, column C: <detail>", "<what>: JSON number out of
// range: <detail>" or "<what>: nesting deeper than 64 levels at byte N (line L, column C)".
std::optional<json> parse_text(std::string_view text, std::string_view what, Problems& problems);

// Scalar reads. `v` must not be null (callers treat null as absent).
std::optional<double> read_number(const json& v, std::string_view path, Problems& problems);
std::optional<int64_t> read_integer(const json& v, std::string_view path, Problems& problems);
std::optional<bool> read_bool(const json& v, std::string_view path, Problems& problems);
std::optional<std::string> read_string(const json& v, std::string_view path, Problems& problems);
// An array of numbers (each element lenient as above). A problem names the element.
std::optional<std::vector<double>> read_number_array(const json& v, std::string_view path, Problems& problems);

// Records "<path>: <v> is less than <lo>" / "is more than <hi>" (with `why` appended when
// not empty) and returns false when v is outside [lo, hi].
bool check_range(double v, double lo, double hi, std::string_view path, Problems& problems, std::string_view why = {});

// Reads the keys of one JSON object and remembers which ones were asked for, so the keys
// nobody asked for can be kept verbatim or reported.
// REQUIRES: `obj` is an object and outlives the reader.
class ObjectReader {
 public:
  ObjectReader(const json& obj, std::string path, Problems& problems)
      : obj_(obj), path_(std::move(path)), problems_(problems) {}

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return key_path(path_, key); }

  // The value under `key`, or nullptr when it is absent or null. Marks the key as known.
  const json* get(std::string_view key);
  // Marks a key as known without reading it.
  void ignore(std::string_view key) { known_.insert(std::string(key)); }

  std::optional<double> number(std::string_view key);
  std::optional<int64_t> integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::string> string(std::string_view key);
  std::optional<std::vector<double>> number_array(std::string_view key);
  // A phase lead table [phi0, t1, phi1, ...] (measure/phase_curve.h); nullopt when absent or
  // not a valid table (reported, naming the element at fault).
  std::optional<std::vector<double>> lead_table(std::string_view key);

  // The keys not marked known, as an object (values verbatim).
  json unknown() const;
  // Records "<path>.<key>: unknown key (known: a, b, c)" for each key not marked known.
  void report_unknown(std::string_view known_list);

 private:
  const json& obj_;
  std::string path_;
  Problems& problems_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace iw::config::detail
