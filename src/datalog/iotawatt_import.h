// Import of the original IoTaWatt firmware's datalogs (`iotalog.log`, 5 s, and `histlog.log`,
// 60 s) into a datalog::Log (`iotawatt import`).
//
// The original file is an array of 256-byte little-endian records
//   {uint32 UNIXtime, int32 serial, double logHours, double accum1[15], double accum2[15]}
// of cumulative totals (reference section 4.2). It may be a ring (once full, the oldest record
// is overwritten: the record with the oldest time is found by a binary search for where the
// times drop), may end with preformatted all-zero records (serial 0: ignored) and with a
// partial record (a torn write: ignored). The original has no checksum, so damage is found by
// consistency: a record whose time is not after the previous good record's (or after the next
// one's), whose logHours or any accum2 (VAh, Hz*h: never decreasing) goes backwards, or that
// holds a NaN, an infinity or an impossible value is skipped and counted, never fatal.
//
// Conversion to a datalog::Record:
//   time          = UNIXtime
//   monitored_us  = llround(logHours * 3.6e9)
//   CT  accum1 (Wh, net, signed)  -> wh_import / wh_export: each record-to-record change of
//                                    the net is added to import (>= 0) or export (< 0), in
//                                    whole micro-units, so import - export == net exactly
//       accum2 (VAh)              -> vah            (varh, vh, ah: not in the original: 0)
//   VT  accum1 (V*h)              -> vh
//       accum2 (Hz*h)             -> hzh
// Each value is llround(x * 1e6) micro-units (the datalog stores no sub-micro-unit residual),
// so every stored total is within 0.5e-6 units of the original's double.
//
// Channel kinds come from the caller (from a config file) or are detected from the file: a VT
// when accum2 / logHours (average Hz) stays within 40..70 at every good record and its accum1
// (V*h) exceeds its accum2 (a CT's Wh never exceeds its VAh, so a CT with a steady 40..70 VA
// load is not taken for a VT); a CT when any accum1 or accum2 is non-zero; unused otherwise.
//
// The target Log refuses records that are not after its last one, so the import must run
// before the daemon writes newer data: records at or before the target's last record are
// skipped and counted (importing the same file twice imports nothing the second time).
//
//   auto layout = datalog::detect_iotawatt_layout(path);           // or from the config
//   auto log = datalog::Log::Open(dir, datalog::current_log_options(layout.value()));
//   datalog::ImportOptions opts; opts.layout = layout.value();
//   opts.progress = [](int64_t done, int64_t total) { ... };
//   auto report = datalog::import_iotawatt_log(path, *log.value(), opts);
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "datalog/log.h"
#include "datalog/record.h"

namespace iw::datalog {

inline constexpr size_t kIotaRecordBytes = 256;
inline constexpr size_t kIotaChannels = 15;

// One record of the original's datalog, decoded.
struct IotaLogRecord {
  uint32_t unix_time = 0;
  int32_t serial = 0;
  double log_hours = 0;
  std::array<double, kIotaChannels> accum1{};
  std::array<double, kIotaChannels> accum2{};
};

// Decodes 256 little-endian bytes (any host byte order).
IotaLogRecord decode_iota_log_record(const uint8_t* in);

struct ImportOptions {
  // Kinds of the original's inputs, indexed by channel (at most 15; missing ones are unused),
  // e.g. from the user's config. Unset: detected from the file (an extra pass over it).
  std::optional<Layout> layout;
  // Called with (records done, total) every `progress_every` records and at the end. Total
  // counts every record of the file once per pass (two passes when the layout is detected).
  std::function<void(int64_t done, int64_t total)> progress;
  int64_t progress_every = 16384;
  // Damaged records listed in full in the report; the rest are only counted.
  size_t max_listed = 100;
};

struct ImportReport {
  // A record that was skipped because it is damaged: "<file>: record at byte offset N: why".
  struct Damaged {
    int64_t offset = 0;
    std::string reason;
    std::string text;
  };
  struct ChannelTotal {
    measure::ChannelKind kind = measure::ChannelKind::kUnused;
    // Final values of the original (its last good record): Wh net and VAh for a CT, V*h and
    // Hz*h for a VT.
    double accum1 = 0;
    double accum2 = 0;
    // What the last converted record holds (micro-units): CT wh_import, wh_export, vah;
    // VT vh, hzh. For a CT wh_import - wh_export == llround(accum1 * 1e6).
    measure::ChannelCounters counters;
  };

  std::string file;
  int64_t file_bytes = 0;
  Layout layout;                 // the kinds used for the conversion
  bool layout_detected = false;  // false: given by the caller
  bool wrapped = false;          // the file is a ring; the oldest record is at wrap_offset
  int64_t wrap_offset = 0;

  int64_t records_read = 0;   // whole records of the file, preformatted ones excluded
  int64_t preformatted = 0;   // trailing all-zero records (serial 0), ignored
  int64_t partial_bytes = 0;  // a torn last record, ignored
  int64_t partial_offset = 0;
  int64_t damaged = 0;  // skipped as damaged (listed in `damage`, up to max_listed)
  std::vector<Damaged> damage;
  int64_t imported = 0;          // appended to the target
  int64_t skipped_existing = 0;  // at or before the target's last record
  int64_t skipped_off_grid = 0;  // time not a multiple of the target's interval
  // One line per kind of skip, saying why (empty when nothing was skipped).
  std::vector<std::string> skipped_reasons;

  // Good records of the file (imported or not).
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  // Records appended to the target.
  std::optional<int64_t> imported_first;
  std::optional<int64_t> imported_last;
  double log_hours = 0;                // final logHours of the original
  int64_t monitored_us = 0;            // of the last converted record
  std::vector<ChannelTotal> channels;  // kIotaChannels entries

  // A short multi-line summary for the CLI.
  std::string summary() const;
};

// The kinds of the file's channels, detected as described above (one pass over the file).
// Channels 0..14.
Result<Layout> detect_iotawatt_layout(const std::string& file);

// Appends the file's good records, in time order, to `target` (opened for writing). The
// target's layout must hold every used channel of the file with the same kind (channels the
// file does not use may be anything: they get zero counters); otherwise nothing is written and
// the error says which channel differs. Errors (file unreadable, I/O error of the target) name
// the file and byte offset; damaged records are never an error. On an I/O error of the target,
// the records appended before it stay (the error says how many).
Result<ImportReport> import_iotawatt_log(const std::string& file, Log& target, const ImportOptions& options = {});

}  // namespace iw::datalog
