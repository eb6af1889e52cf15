// Builds a running uploader (protocol, libcurl transport, datalog reader, cursor file) from
// one typed uploader config section. The one place that maps a "type" to its Protocol.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "config/uploader_config.h"
#include "query/record_source.h"
#include "upload/measurement.h"
#include "upload/runner.h"

namespace iw::upload {

// One value a protocol wants per interval: `output`'s script in `unit`, over the interval
// or (span_start set) over [span_start(begin), end).
struct MeasurementSpec {
  size_t index = 0;  // in the section's "outputs", for messages
  config::ScriptOutput output;
  query::Unit unit = query::Unit::kWatts;
  std::function<int64_t(int64_t)> span_start;
};

// A protocol with what the engine needs to run it. The timing fields come from the section
// as the protocol types it (Emoncms "postInterval", PVOutput "interval").
struct BuiltProtocol {
  std::unique_ptr<Protocol> protocol;
  std::unique_ptr<UploadPolicy> policy;       // null: DefaultPolicy
  std::string target;                         // server and series, no secrets: what a cursor belongs to
  std::vector<MeasurementSpec> measurements;  // what IntervalValues::values hold, in order
  int64_t interval_s = 10;
  int64_t bulksend = 1;
  int64_t begdate = 0;
  bool stop = false;
};

// The wall clock (UNIX seconds) of rate limits and look-back limits.
int64_t unix_now();

// The protocol of `uc` ("influxdb", "influxdb2", "emoncms", "pvoutput"). `unix_clock` is
// the wall clock a PVOutput policy reckons in. Errors name the key path.
Result<BuiltProtocol> make_protocol(const config::UploaderConfig& uc, const config::Config& config,
                                    std::function<int64_t()> unix_clock = unix_now);

struct UploadEnvironment {
  const query::RecordSource* records = nullptr;       // must outlive the uploader
  std::function<std::optional<int64_t>()> last_time;  // newest record of the logs
  std::string data_dir;                               // cursors go to <data_dir>/upload/
  MeasurementContext measurements;                    // the pipeline's calculator and integrator logs
};

// What start_http_uploader would refuse of `uc`, found without starting it (no network, no
// cursor): POST /config refuses such a section instead of saving an uploader that cannot run.
Status check_http_uploader(const config::UploaderConfig& uc, const config::Config& config);

Result<std::unique_ptr<UploadRunner>> start_http_uploader(const config::UploaderConfig& uc,
                                                          const config::Config& config, const UploadEnvironment& env);

// POST /upload/test: asks the server of `uc` for its last point, with the transport the
// uploader would use. A config error is an InvalidArgument; a server that cannot be reached or
// answers wrong is Unavailable, with test_report.h's message: the status code and our hint,
// never the server's body; the full reason goes to the message log.
struct ConnectionTest {
  std::string message;  // what the test found, for people
  std::optional<int64_t> last_point;
};
Result<ConnectionTest> test_connection(const config::UploaderConfig& uc, const config::Config& config);

}  // namespace iw::upload
