// The daemon's HTTP uploaders (InfluxDB 1.x/2.x, Emoncms, PVOutput): one UploadRunner thread
// per configured section, reading the daemon's logs.
//
// apply() is called with every configuration the daemon runs: an uploader whose section is
// unchanged keeps running (and keeps its place); a changed one is stopped and rebuilt, and
// picks its place up again from its cursor file and the server; a removed one is stopped.
// What every measurement depends on (inputs, outputs, integrators, device, time zone) counts
// as part of each section: when it changes, every uploader is rebuilt with the new calculator.
// A section that does not validate is shown as "invalid" with the problem, and the rest of
// the daemon runs on.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/datalog_service.h"
#include "config/config.h"
#include "query/record_source.h"
#include "server/status.h"
#include "upload/measurement.h"
#include "upload/runner.h"

namespace iw::app {

class UploadService {
 public:
  // `records` and `logs` must outlive the service.
  UploadService(std::string data_dir, const query::RecordSource& records, const DatalogService& logs);
  ~UploadService();

  // `measurements` is the running pipeline's calculator (compiled from `config`) and the
  // integrator logs its queries read: uploaded values are the values /query gives.
  void apply(const config::Config& config, const upload::MeasurementContext& measurements);
  // Stops every uploader (requests in flight are aborted).
  void stop();
  std::vector<server::UploaderEntry> status() const;

 private:
  struct Slot {
    nlohmann::json section;  // as configured: unchanged means keep running
    std::string type;
    std::unique_ptr<upload::UploadRunner> runner;  // null when invalid
    std::string error;                             // why it does not run
  };

  std::string data_dir_;
  const query::RecordSource& records_;
  const DatalogService& logs_;
  mutable std::mutex mu_;
  std::map<std::string, Slot> slots_;  // guarded by mu_, by config key
  nlohmann::json basis_;               // guarded by mu_: measurement_basis() of the running config
};

// The parts of `config` an uploader's values depend on besides its own section: its scripts
// name inputs, outputs and integrators; PVOutput's days and Emoncms' node name follow the
// device and its time zone.
nlohmann::json measurement_basis(const config::Config& config);

// Every HTTP uploader section of `config` as the uploader reads it (parse_uploader, then
// upload::check_http_uploader): the first refusal, naming its key path. POST /config refuses a
// config with one, so "saved" is never said of an uploader that would stay invalid.
Status check_uploaders(const config::Config& config);

// POST /upload/test: `body` is one uploader config object with its "type". Answers
// {"ok":true|false,"message":"...","last_point":<unix or null>}.
std::string test_uploader_json(const std::string& body, const config::Config& config);

}  // namespace iw::app
