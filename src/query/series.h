// What a query column reads: a named series whose value over an interval is computed from two
// datalog records of cumulative counters (firmware reference 4.1).
//
// The catalog holds the configured inputs, then the outputs (output_series.h): clients pair
// /status inputs with the first entries of show=series by index.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calc/input_value.h"
#include "datalog/record.h"
#include "query/units.h"

namespace iw::config {
struct Config;
struct Input;
}  // namespace iw::config

namespace iw::query {

// The span between two records. Averages are over the monitored time between them, not the
// wall time: an outage adds nothing to either.
struct Interval {
  const datalog::Record* older = nullptr;
  const datalog::Record* newer = nullptr;

  // Monitored hours between the records; 0 when either is null.
  double hours() const;
};

// Whether `channel`'s counters continue over `interval`: both records hold the channel
// (datalog::Record::holds) and none of its counters decreases. Otherwise an input's value over
// the interval is missing, whatever the unit.
bool continues(const Interval& interval, size_t channel);

class Series {
 public:
  virtual ~Series() = default;
  virtual const std::string& name() const = 0;
  // The unit a column of this series has when the query names none, and show=series lists.
  virtual Unit unit() const = 0;
  // The unit show=series lists; a cost series names its currency.
  virtual std::string unit_label() const { return std::string(unit_name(unit())); }
  // Decimals of a column without .dN; nullopt: the unit's rule (request.h).
  virtual std::optional<int> default_decimals() const { return std::nullopt; }
  // Whether a column may choose `unit` by its method (.wh, .kwh...); a cost has only its
  // currency, a standby only watts.
  virtual bool takes_unit(Unit) const { return true; }
  // A series derived from another one's history (standby_series.h): selectable, but listed by
  // show=series only with derived=yes, so clients that make a sensor of every listed series
  // (Home Assistant pairs and prunes by name, exporters select them all) see what they did.
  virtual bool derived() const { return false; }
  // The series' value over `interval` in `unit`. nullopt means missing: no monitored time
  // between the records (also for energy units), a record without this series' channel, a
  // counter of the channel lower in the newer record (a reset: see continues()), or a result
  // that is NaN or infinite.
  virtual std::optional<double> value(const Interval& interval, Unit unit) const = 0;
};

// One configured input. From its channel's counters (datalog/FORMAT.md, "Record"):
//   CT: Watts = (dWh_import - dWh_export) / h (negative when exporting), Wh = that difference,
//       kWh = Wh / 1000, VA = dVAh / h, VAh, VAR = dVARh / h, VARh, Volts = dVh / h (the
//       reference voltage times vmult), Amps = dAh / h, PF = Watts / VA (0 when VA is 0),
//       Hz = dHzh / h of the reference VT channel `vchan`.
//   VT: Volts = dVh / h, Hz = dHzh / h; Watts = Volts and Wh = dVh as in the original (its
//       first counter is volt-hours); kWh = Wh / 1000. A VT carries no current: Amps, VA, VAh,
//       VAR, VARh and PF are 0.
class InputSeries final : public Series {
 public:
  explicit InputSeries(const config::Input& input);

  const std::string& name() const override { return name_; }
  Unit unit() const override { return is_vt_ ? Unit::kVolts : Unit::kWatts; }
  std::optional<double> value(const Interval& interval, Unit unit) const override;

  int channel() const { return channel_; }
  bool is_vt() const { return is_vt_; }

 private:
  std::string name_;
  int channel_ = 0;
  bool is_vt_ = false;
  std::vector<calc::InputInfo> infos_;  // this channel and its reference VT
};

class SeriesCatalog {
 public:
  // The active inputs of `config`, in channel order.
  static SeriesCatalog FromConfig(const config::Config& config);

  // Appends a series. Names are expected to be unique; find() returns the
  // first one of a name.
  void add(std::unique_ptr<Series> series);
  // The series named exactly `name` (case-sensitive), or nullptr.
  const Series* find(std::string_view name) const;
  const std::vector<std::unique_ptr<Series>>& all() const { return series_; }
  // The input series, in channel order (for /feed/list.json).
  std::vector<const InputSeries*> inputs() const;

  // The body of /query?show=series: {"series":[{"name":"Voltage","unit":"Volts"},...]}, derived
  // series only `with_derived`.
  std::string show_series_json(bool with_derived = false) const;

 private:
  std::vector<std::unique_ptr<Series>> series_;
};

}  // namespace iw::query
