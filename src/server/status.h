// GET /status: the live state of the monitor in the original firmware's JSON shape
// (reference section 6.3). Each section appears only when its name is a query argument.
// Wire details clients rely on: `Watts` is a string with no decimals, clamped to "0" within
// +-2 W; `timediff` is minutes; `wifi.mac` is always present (Home Assistant keys on it).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/channel_values.h"

namespace iw::server {

struct InputStatus {
  int channel = 0;
  std::string name;
  bool is_voltage = false;
  measure::ChannelValues live;  // VT: volts, hz; CT: watts, va, amps and their power factor
  double phase = 0;             // effective sensor lead now, degrees
  double last_phase = 0;        // CT lead minus VT lead
  bool reversed = false;
  std::string role;      // the config's "role" of a CT ("mains", "solar", "circuit"); empty when unset
  uint64_t clipped = 0;  // samples at an ADC rail in the last second: the sensor is overdriven
};

// An output script evaluated on the live values, in its configured units.
struct OutputStatus {
  std::string name;
  std::string units;  // "Watts", "kWh", ... as the original spells them
  double value = 0;
  int decimals = 2;  // rendered with this many decimals at most
};

// The sampler's health, as /status and /metrics show it (metrics.h renders the same type).
struct SamplingStatus {
  std::string mode;    // continuous | roundrobin
  std::string source;  // what produces the samples
  double conversions_per_second = 0;
  double channel_cycles_per_second = 0;  // all channels together (/status also shows it per channel)
  double samples_per_cycle = 0;          // per channel
  double cpu_percent = 0;                // whole daemon, over the last seconds
  double sampler_cpu_percent = 0;
  uint64_t cycles = 0;  // voltage cycles measured since the sampler started
  uint64_t dropped_cycles = 0;
  double lag_ms = 0;       // sampling thread's lateness, worst of the last second
  double lag_peak_ms = 0;  // ... and since start
  uint64_t restarts = 0;
  // Why nothing is measured: the ADC could not be opened (names the device, the OS error and
  // what to do). Empty while the source runs. While set, the daemon tries again: attempts so
  // far and seconds until the next.
  std::string error;
  uint64_t open_attempts = 0;
  double retry_in_s = 0;
};

struct DatalogEntry {
  std::string id;         // "Current", "History", then each logged integrator by name
  int64_t first_key = 0;  // UTC of the first and last record; 0 when empty
  int64_t last_key = 0;
  int64_t size = 0;      // bytes on disk
  int64_t interval = 0;  // seconds
  std::string error;     // our addition: last write error, empty when healthy
};

// One configured uploader (ours and the original's shapes are rendered from it).
struct UploaderEntry {
  std::string name;  // config key: "influxdb", "influxdb2", "emoncms", "pvoutput"
  std::string type;
  std::string state;      // starting, bulk, live, retrying, rejected, stopped, invalid
  int64_t last_post = 0;  // UTC start of the newest interval the server acknowledged; 0: none
  int64_t backlog_s = 0;  // logged but not yet acknowledged
  int64_t backlog_intervals = 0;
  std::string last_error;  // empty when the last attempt worked; never holds a secret
  // Event forwarders (the webhook): events the receiver acknowledged, and events passed over
  // as too old, since the service started. nullopt: not an event forwarder (not shown).
  std::optional<uint64_t> events_delivered, events_skipped;
};

// The updater (ours; update/FORMAT.md): /status?update.
struct UpdateEvent {
  int64_t time = 0;
  std::string from, to;  // versions ("the package": the packaged program)
  std::string outcome;   // installed, healthy, rolled back, keys rotated
  std::string reason;    // why a rollback happened
};

struct UpdateStatus {
  std::string update_class = "NONE";
  std::string version;    // running
  std::string arch;       // the bundle it installs: amd64, arm64, armhf
  std::string state;      // disabled, waiting, up to date, available, installed, refused, failed
  std::string message;    // what the last check said
  std::string available;  // the version the server offers; empty: unknown
  int64_t last_check = 0;
  int64_t next_check = 0;
  std::string trial;                 // the running version while it must still report healthy
  std::vector<UpdateEvent> history;  // oldest first
};

struct StatusModel {
  std::string device_name = "IotaWatt";
  int timediff_minutes = 0;
  bool allow_dst = false;
  // Ours, so that a browser elsewhere shows device-local time: the IANA zone name (empty for
  // the original's offset-and-DST-rule form) and local time minus UTC now, DST included.
  std::string timezone;
  int utc_offset_s = 0;
  std::string update_class = "NONE";
  // The HTTPS listener's port (0: off) and its certificate's SHA-256 fingerprint.
  int https_port = 0;
  std::string tls_fingerprint;
  std::string version;
  int64_t start_time = 0;
  int64_t current_time = 0;
  double frequency = 0;
  int64_t free_bytes = 0;
  SamplingStatus sampling;
  std::vector<InputStatus> inputs;
  std::vector<OutputStatus> outputs;
  std::vector<DatalogEntry> datalogs;
  std::vector<UploaderEntry> uploaders;
  UpdateStatus update;
  std::string mac;  // XX:XX:XX:XX:XX:XX
  std::string ip;
  int64_t connect_time = 0;
  bool admin_password = false;
  bool user_password = false;
  bool local_access = false;
};

// The section names present in the request's query (values ignored).
using Sections = std::set<std::string>;

nlohmann::json render_status(const StatusModel& model, const Sections& sections);

}  // namespace iw::server
