#include "upload/line_protocol.h"

#include <algorithm>

#include "query/units.h"

namespace iw::upload {
namespace {

std::string escape(std::string_view s, std::string_view special) {
  std::string out;
  out.reserve(s.size());
  for (const char c : without_line_breaks(s)) {
    if (special.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

bool uses_per_measurement_variable(std::string_view s) {
  return s.find("$name") != std::string_view::npos || s.find("$units") != std::string_view::npos;
}

}  // namespace

std::string without_line_breaks(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string escape_measurement(std::string_view s) { return escape(s, ", "); }
std::string escape_key(std::string_view s) { return escape(s, ",= "); }

std::string quoted(std::string_view s, char quote, std::string_view also) {
  std::string out(1, quote);
  for (const char c : without_line_breaks(s)) {
    if (c == quote || c == '\\' || also.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out + quote;
}

std::string quote_string_field(std::string_view s) { return quoted(s, '"'); }

std::string expand_template(std::string_view tmpl, std::string_view device, std::string_view name,
                            std::string_view units) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    const std::string_view rest = tmpl.substr(i);
    if (rest.starts_with("$device")) {
      out += device;
      i += 7;
    } else if (rest.starts_with("$name")) {
      out += name;
      i += 5;
    } else if (rest.starts_with("$units")) {
      out += units;
      i += 6;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

InfluxLines::InfluxLines(const config::InfluxPointTemplate& tmpl, const std::string& device,
                         const std::vector<MeasurementInfo>& measurements) {
  for (const config::InfluxTag& tag : tmpl.tagset) {
    if (uses_per_measurement_variable(tag.value) || uses_per_measurement_variable(tag.key)) static_tags_ = false;
  }
  for (size_t i = 0; i < measurements.size(); ++i) {
    const MeasurementInfo& m = measurements[i];
    InfluxSeries s;
    s.index = i;
    s.decimals = m.decimals;
    s.measurement = expand_template(tmpl.measurement, device, m.name, m.units);
    s.field = expand_template(tmpl.fieldkey, device, m.name, m.units);
    for (const config::InfluxTag& tag : tmpl.tagset) {
      config::InfluxTag t{expand_template(tag.key, device, m.name, m.units),
                          expand_template(tag.value, device, m.name, m.units)};
      if (!t.key.empty() && !t.value.empty()) s.tags.push_back(std::move(t));
    }
    series_.push_back(std::move(s));
  }
  std::stable_sort(series_.begin(), series_.end(),
                   [](const InfluxSeries& a, const InfluxSeries& b) { return a.measurement < b.measurement; });
  for (const InfluxSeries& s : series_) {
    std::string prefix = escape_measurement(s.measurement);
    for (const config::InfluxTag& t : s.tags) prefix += "," + escape_key(t.key) + "=" + escape_key(t.value);
    prefix_.push_back(std::move(prefix));
    field_.push_back(escape_key(s.field));
  }
}

std::string InfluxLines::lines(std::span<const IntervalValues> intervals) const {
  std::string out;
  for (const IntervalValues& iv : intervals) {
    const std::string stamp = " " + std::to_string(iv.begin) + "\n";
    size_t open = series_.size();  // series whose line is open, or none
    std::vector<const std::string*> fields_on_line;
    for (size_t k = 0; k < series_.size(); ++k) {
      const InfluxSeries& s = series_[k];
      const std::optional<double>& v = s.index < iv.values.size() ? iv.values[s.index] : std::nullopt;
      if (!v) continue;
      const std::string value = field_[k] + "=" + query::format_value(*v, s.decimals);
      const bool merge = open != series_.size() && static_tags_ && prefix_[open] == prefix_[k] &&
                         std::none_of(fields_on_line.begin(), fields_on_line.end(),
                                      [&](const std::string* f) { return *f == field_[k]; });
      if (merge) {
        out += "," + value;
      } else {
        if (open != series_.size()) out += stamp;
        out += prefix_[k] + " " + value;
        open = k;
        fields_on_line.clear();
      }
      fields_on_line.push_back(&field_[k]);
    }
    if (open != series_.size()) out += stamp;
  }
  return out;
}

}  // namespace iw::upload
