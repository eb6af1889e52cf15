// The daemon's message log: every message goes to stdout (under systemd: to stderr with journald
// priority prefixes and no time stamp, journald adds its own) and, when a data directory is
// given, to <data>/log/iotamsgs.txt (rotated at 4 MiB, 3 files kept), which the API serves as
// the original's /iotawatt/iotamsgs.txt (tail with ?textpos=-10000) for the web app's log page.
#pragma once

#include <string>

namespace iw::app {

// Idempotent; the first call decides the sinks. Errors opening the file are reported on stdout
// and logging continues there.
void setup_logging(const std::string& data_dir = "");

// Started by systemd (JOURNAL_STREAM or INVOCATION_ID set).
bool under_systemd();

// <data>/log: where the message log lives.
std::string message_log_dir(const std::string& data_dir);

}  // namespace iw::app
