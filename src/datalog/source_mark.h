// <data dir>/datalog/SOURCE: which kind of sample source feeds the datalog, so that simulated
// data never lands among an ADC board's measurements unnoticed (issue 12, finding 6). The
// file is one line, "adc", "simulator" or "replay" (then a line end), written when a daemon
// first logs into the directory and rewritten only when the user confirms a change of
// source. A datalog without the file (older than this mark) is of unknown source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace iw::datalog {

enum class DataSource {
  kAdc,        // an ADC board: real measurements
  kSimulator,  // the panel simulator
  kReplay,     // a recorded sample file played back
};

// "adc", "simulator", "replay".
std::string_view to_string(DataSource source);
// What the user reads: "an ADC board", "the simulator", "a replay file".
std::string_view describe(DataSource source);

// The path of the mark in `datalog_dir` (<data dir>/datalog).
std::string source_mark_path(const std::string& datalog_dir);
// nullopt when there is no mark; an error naming the file when it cannot be read or says
// something else than the three words.
Result<std::optional<DataSource>> read_source_mark(const std::string& datalog_dir);
// Creates `datalog_dir` when needed and replaces the mark atomically.
Status write_source_mark(const std::string& datalog_dir, DataSource source);

}  // namespace iw::datalog
