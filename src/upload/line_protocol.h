// InfluxDB line protocol (protocols.md 4.1) for both InfluxDB 1.x and 2.x: escaping, the
// measurement/fieldkey/tagset templates with $device, $name and $units (firmware reference
// 7.3), and the lines of a batch of intervals.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/uploader_config.h"
#include "upload/measurement.h"
#include "upload/protocol.h"

namespace iw::upload {

// Measurement names: ',' and ' ' get a backslash.
std::string escape_measurement(std::string_view s);
// Tag keys, tag values and field keys: ',', '=' and ' ' get a backslash.
std::string escape_key(std::string_view s);
// `s` between `quote` characters, with the quote, '\\' and any of `also` given a backslash
// (line breaks become spaces). String fields, InfluxQL and Flux literals all quote this way.
std::string quoted(std::string_view s, char quote, std::string_view also = {});
// A string field value, quoted: '"' and '\' get a backslash.
std::string quote_string_field(std::string_view s);
// Line protocol has no way to carry a line break inside a name; each one becomes a space
// before escaping. The same is used by the last-point queries so they name the same series.
std::string without_line_breaks(std::string_view s);

// `tmpl` with $device, $name and $units replaced, left to right (a value that itself holds
// "$name" is not expanded again).
std::string expand_template(std::string_view tmpl, std::string_view device, std::string_view name,
                            std::string_view units);

// One measurement's series in InfluxDB: the expanded names, unescaped.
struct InfluxSeries {
  size_t index = 0;  // position in IntervalValues::values
  int decimals = 1;
  std::string measurement;
  std::string field;
  std::vector<config::InfluxTag> tags;  // expanded; tags whose value expands to "" are left out
};

class InfluxLines {
 public:
  InfluxLines(const config::InfluxPointTemplate& tmpl, const std::string& device,
              const std::vector<MeasurementInfo>& measurements);

  // The series, sorted by measurement name (stable: config order within one measurement).
  const std::vector<InfluxSeries>& series() const { return series_; }

  // The lines of `intervals`, each ending in '\n', stamped with the interval start in seconds.
  // Measurements without a value are left out. When no tag depends on $name or $units, the
  // fields of consecutive series with the same measurement share one line.
  std::string lines(std::span<const IntervalValues> intervals) const;

 private:
  std::vector<InfluxSeries> series_;
  std::vector<std::string> prefix_;  // escaped "measurement,tags" per series
  std::vector<std::string> field_;   // escaped field key per series
  bool static_tags_ = true;
};

}  // namespace iw::upload
