#include "datalog/iotawatt_import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "base/strings.h"

namespace iw::datalog {
namespace {

using measure::ChannelKind;

constexpr int64_t kRecordBytes = static_cast<int64_t>(kIotaRecordBytes);
constexpr int64_t kBlockRecords = 4096;  // 1 MiB reads
constexpr size_t kBatchRecords = 1024;   // records per append_batch
// Beyond these a value is a damaged one (the int64 micro-unit counters hold +-9.2e12).
constexpr double kMaxAccum = 9.0e12;
constexpr double kMaxLogHours = 1.0e7;  // 1141 years

uint32_t load_u32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
uint64_t load_u64(const uint8_t* p) { return uint64_t{load_u32(p)} | (uint64_t{load_u32(p + 4)} << 32); }
double load_f64(const uint8_t* p) { return std::bit_cast<double>(load_u64(p)); }

std::string time_text(int64_t t) { return std::to_string(t) + " (" + utc_text(t) + ")"; }

std::string kind_name(ChannelKind k) {
  switch (k) {
    case ChannelKind::kVoltage:
      return "VT";
    case ChannelKind::kCurrent:
      return "CT";
    case ChannelKind::kUnused:
      break;
  }
  return "unused";
}

// The file as an array of records, read by logical index (0 = oldest) once the wrap is known.
class IotaFile {
 public:
  ~IotaFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status open(const std::string& path, ImportReport* report) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Status::IOError(path + ": cannot stat: " + std::strerror(errno));
    report->file = path;
    report->file_bytes = st.st_size;
    int64_t whole = st.st_size / kRecordBytes;
    report->partial_bytes = st.st_size % kRecordBytes;
    report->partial_offset = whole * kRecordBytes;
    // Trailing preformatted records (serial 0) are not part of the log (as the original trims
    // them at open). Read back from the end in blocks.
    std::vector<uint8_t> buf;
    while (whole > 0) {
      const int64_t count = std::min(whole, kBlockRecords);
      const int64_t first = whole - count;
      Status s = pread_records(first, count, &buf);
      if (!s.ok()) return s;
      int64_t k = count;
      while (k > 0 && static_cast<int32_t>(load_u32(buf.data() + (k - 1) * kRecordBytes + 4)) == 0) --k;
      report->preformatted += count - k;
      whole = first + k;
      if (k > 0) break;
    }
    n_ = whole;
    report->records_read = n_;
    return find_wrap(report);
  }

  int64_t size() const { return n_; }
  int64_t physical(int64_t logical) const { return (wrap_ + logical) % n_; }
  int64_t offset_of(int64_t logical) const { return physical(logical) * kRecordBytes; }

  // Reads `count` records from logical index `first` (not crossing the physical end).
  Status read_logical(int64_t first, int64_t count, std::vector<uint8_t>* buf) const {
    return pread_records(physical(first), count, buf);
  }
  // Records readable in one piece from logical index `first`.
  int64_t run_from(int64_t first, int64_t max) const { return std::min({max, n_ - first, n_ - physical(first)}); }

 private:
  Status pread_records(int64_t phys, int64_t count, std::vector<uint8_t>* buf) const {
    buf->resize(static_cast<size_t>(count * kRecordBytes));
    size_t done = 0;
    const off_t base = static_cast<off_t>(phys * kRecordBytes);
    while (done < buf->size()) {
      const ssize_t r = ::pread(fd_, buf->data() + done, buf->size() - done, base + static_cast<off_t>(done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        return Status::IOError(path_ + ": read error at byte offset " +
                               std::to_string(base + static_cast<off_t>(done)) + ": " +
                               (r < 0 ? std::strerror(errno) : "unexpected end of file"));
      }
      done += static_cast<size_t>(r);
    }
    return Status::Ok();
  }

  Result<IotaLogRecord> at(int64_t phys) const {
    std::vector<uint8_t> buf;
    Status s = pread_records(phys, 1, &buf);
    if (!s.ok()) return s;
    return decode_iota_log_record(buf.data());
  }

  static bool Sane(const IotaLogRecord& r) { return r.unix_time != 0 && std::isfinite(r.log_hours); }

  // The oldest record's physical index. Not wrapped when the first record's time is not after
  // the last's. Otherwise the file holds a run of newer records (overwritten from its start)
  // then a run of older ones: a binary search finds where the older run starts. A probe is believed only when its time
  // and its serial agree with one run (the original's serials are consecutive): a damaged probe is replaced by a
  // neighbour, and when no probe can be believed a linear scan decides.
  Status find_wrap(ImportReport* report) {
    wrap_ = 0;
    if (n_ < 2) return Status::Ok();
    constexpr int64_t kAnchorSearch = 64;
    int64_t a = -1, b = -1;
    IotaLogRecord ra, rb;
    for (int64_t i = 0; i < std::min(n_, kAnchorSearch) && a < 0; ++i) {
      auto r = at(i);
      if (!r.ok()) return r.status();
      if (Sane(r.value())) a = i, ra = r.value();
    }
    for (int64_t i = n_ - 1; i >= std::max<int64_t>(0, n_ - kAnchorSearch) && b < 0; --i) {
      auto r = at(i);
      if (!r.ok()) return r.status();
      if (Sane(r.value())) b = i, rb = r.value();
    }
    if (a < 0 || b <= a || ra.unix_time <= rb.unix_time) return Status::Ok();
    // Serials that run straight from the first to the last record: not a ring (one of the two
    // times is damaged; the record is skipped later).
    if (int64_t{rb.serial} - int64_t{ra.serial} == b - a) return Status::Ok();

    // 1: in the first (newer) run, 2: in the second (older) run, 0: cannot tell.
    auto classify = [&](int64_t m, const IotaLogRecord& r) {
      if (!Sane(r)) return 0;
      if (r.unix_time >= ra.unix_time && int64_t{r.serial} == int64_t{ra.serial} + (m - a)) return 1;
      if (r.unix_time <= rb.unix_time && int64_t{r.serial} == int64_t{rb.serial} - (b - m)) return 2;
      return 0;
    };
    int64_t lo = a + 1, hi = b;  // the answer is in [lo, hi]; hi is in the second run
    bool decided = true;
    while (lo < hi && decided) {
      const int64_t mid = lo + (hi - lo) / 2;
      decided = false;
      for (int64_t d = 0; d < 32 && !decided; ++d) {
        for (const int64_t m : {mid - d, mid + d}) {
          if (m < lo || m >= hi || (d == 0 && m != mid)) continue;
          auto r = at(m);
          if (!r.ok()) return r.status();
          const int c = classify(m, r.value());
          if (c == 1) lo = m + 1;
          if (c == 2) hi = m;
          if (c != 0) {
            decided = true;
            break;
          }
        }
      }
    }
    int64_t wrap = lo;
    if (!decided) {
      // Linear: the first record older than the first record whose successor is also older
      // (a single damaged record does not make a drop).
      std::vector<uint8_t> buf;
      wrap = -1;
      uint32_t prev_time = 0;
      int64_t pending_at = -1;
      for (int64_t first = 0; first < n_ && wrap < 0; first += kBlockRecords) {
        const int64_t count = std::min(kBlockRecords, n_ - first);
        Status s = pread_records(first, count, &buf);
        if (!s.ok()) return s;
        for (int64_t k = 0; k < count && wrap < 0; ++k) {
          const uint32_t t = load_u32(buf.data() + k * kRecordBytes);
          const int64_t i = first + k;
          if (pending_at >= 0) {
            if (t != 0 && t < ra.unix_time) wrap = pending_at;
            pending_at = -1;
          }
          if (wrap < 0 && i > a && t != 0 && t < ra.unix_time && prev_time > rb.unix_time) pending_at = i;
          if (t != 0) prev_time = t;
        }
      }
      if (wrap < 0) wrap = pending_at >= 0 ? pending_at : 0;
    }
    wrap_ = wrap;
    report->wrapped = wrap_ != 0;
    report->wrap_offset = wrap_ * kRecordBytes;
    return Status::Ok();
  }

  std::string path_;
  int fd_ = -1;
  int64_t n_ = 0;
  int64_t wrap_ = 0;
};

// Decides, record by record in time order, which records are good. The same decisions are
// made in every pass. A record is compared with the last good one and with the next record
// of the file, so one damaged record with a far-future time (or logHours) does not make every
// later record look out of order.
class Validator {
 public:
  // `layout`, when known, adds a check of CT channels: a CT's Wh changes by no more than its
  // VAh (|W| <= VA), so an isolated record breaking that (while the next record agrees with
  // the last good one) holds a damaged accum1.
  explicit Validator(const Layout* layout = nullptr) : layout_(layout) {}

  // Empty when `r` is good; otherwise why not.
  std::string check(const IotaLogRecord& r, const IotaLogRecord* next) const {
    if (r.unix_time == 0) return "time is 0 (a blank record)";
    if (!std::isfinite(r.log_hours)) return "logHours is not a number";
    if (r.log_hours < 0 || r.log_hours > kMaxLogHours)
      return "logHours " + std::to_string(r.log_hours) + " is impossible";
    for (size_t c = 0; c < kIotaChannels; ++c) {
      for (const auto* a : {&r.accum1, &r.accum2}) {
        const double v = (*a)[c];
        if (std::isfinite(v) && std::fabs(v) <= kMaxAccum) continue;
        const std::string name = std::string(a == &r.accum1 ? "accum1[" : "accum2[") + std::to_string(c) + "]";
        if (!std::isfinite(v)) return name + " is not a number";
        return name + " " + std::to_string(v) + " is out of range";
      }
      if (r.accum2[c] < 0) return "accum2[" + std::to_string(c) + "] is negative";
    }
    if (have_last_) {
      if (r.unix_time <= last_.unix_time) {
        return "time " + time_text(r.unix_time) + " is not after the previous good record's " +
               time_text(last_.unix_time);
      }
      if (r.log_hours < last_.log_hours) return "logHours goes backwards";
      for (size_t c = 0; c < kIotaChannels; ++c) {
        if (r.accum2[c] < last_.accum2[c]) return "accum2[" + std::to_string(c) + "] goes backwards";
      }
    }
    if (next != nullptr) {
      // The next record agrees with the last good one but not with this one: this one is off.
      const bool next_time_ok = next->unix_time != 0 && (!have_last_ || next->unix_time > last_.unix_time);
      if (next_time_ok && r.unix_time >= next->unix_time) {
        return "time " + time_text(r.unix_time) + " is not before the next record's " + time_text(next->unix_time);
      }
      const bool next_hours_ok =
          std::isfinite(next->log_hours) && next->log_hours >= 0 && (!have_last_ || next->log_hours >= last_.log_hours);
      if (next_time_ok && next_hours_ok && r.log_hours > next->log_hours) {
        return "logHours is above the next record's";
      }
      for (size_t c = 0; c < kIotaChannels && next_time_ok; ++c) {
        const double n2 = next->accum2[c];
        if (std::isfinite(n2) && (!have_last_ || n2 >= last_.accum2[c]) && r.accum2[c] > n2) {
          return "accum2[" + std::to_string(c) + "] is above the next record's";
        }
      }
    }
    if (layout_ != nullptr && have_last_ && next != nullptr) {
      for (size_t c = 0; c < kIotaChannels && c < layout_->size(); ++c) {
        if ((*layout_)[c] != ChannelKind::kCurrent) continue;
        if (!WhWithinVah(last_, r, c) && WhWithinVah(last_, *next, c)) {
          return "accum1[" + std::to_string(c) + "] (Wh) changes by more than accum2 (VAh) allows";
        }
      }
    }
    return {};
  }
  void accept(const IotaLogRecord& r) {
    last_ = r;
    have_last_ = true;
  }

 private:
  static bool WhWithinVah(const IotaLogRecord& from, const IotaLogRecord& to, size_t c) {
    const double wh = std::fabs(to.accum1[c] - from.accum1[c]);
    const double vah = to.accum2[c] - from.accum2[c];
    return std::isfinite(wh) && std::isfinite(vah) && wh <= 1.02 * vah + 1e-3;
  }

  const Layout* layout_;
  IotaLogRecord last_;
  bool have_last_ = false;
};

// Reads the records in time order and calls visit(record, offset, reason) for each, where
// reason is empty for a good record.
template <typename Visit>
Status for_each_record(const IotaFile& file, const Layout* layout, Visit&& visit) {
  Validator validator(layout);
  std::vector<uint8_t> buf;
  const int64_t n = file.size();
  // Decode block by block, keeping one record of lookahead across blocks.
  std::optional<IotaLogRecord> pending;
  int64_t pending_index = -1;
  auto handle = [&](const IotaLogRecord& r, int64_t index, const IotaLogRecord* next) -> Status {
    std::string why = validator.check(r, next);
    if (why.empty()) validator.accept(r);
    return visit(r, file.offset_of(index), why);
  };
  for (int64_t first = 0; first < n;) {
    const int64_t count = file.run_from(first, kBlockRecords);
    Status s = file.read_logical(first, count, &buf);
    if (!s.ok()) return s;
    for (int64_t k = 0; k < count; ++k) {
      const IotaLogRecord r = decode_iota_log_record(buf.data() + k * kRecordBytes);
      if (pending) {
        s = handle(*pending, pending_index, &r);
        if (!s.ok()) return s;
      }
      pending = r;
      pending_index = first + k;
    }
    first += count;
  }
  if (pending) return handle(*pending, pending_index, nullptr);
  return Status::Ok();
}

struct Progress {
  const ImportOptions& options;
  int64_t total = 0;
  int64_t done = 0;
  void step() {
    ++done;
    if (options.progress && options.progress_every > 0 && done % options.progress_every == 0) {
      options.progress(done, total);
    }
  }
  void finish() {
    const bool reported = options.progress_every > 0 && done % options.progress_every == 0 && done > 0;
    if (options.progress && !reported) options.progress(done, total);
  }
};

struct DetectState {
  std::array<bool, kIotaChannels> nonzero{};
  std::array<bool, kIotaChannels> hz_ok{};
  bool have_ratio = false;
  std::optional<IotaLogRecord> last;

  DetectState() { hz_ok.fill(true); }
  void add(const IotaLogRecord& r) {
    for (size_t c = 0; c < kIotaChannels; ++c) {
      if (r.accum1[c] != 0 || r.accum2[c] != 0) nonzero[c] = true;
      if (r.log_hours > 0) {
        const double hz = r.accum2[c] / r.log_hours;
        if (!(hz >= 40 && hz <= 70)) hz_ok[c] = false;
      }
    }
    if (r.log_hours > 0) have_ratio = true;
    last = r;
  }
  Layout layout() const {
    Layout layout(kIotaChannels, ChannelKind::kUnused);
    for (size_t c = 0; c < kIotaChannels; ++c) {
      if (!nonzero[c]) continue;
      // Average volts above average Hz: a CT's Wh never exceeds its VAh.
      const bool vt = have_ratio && hz_ok[c] && last && last->accum1[c] > last->accum2[c];
      layout[c] = vt ? ChannelKind::kVoltage : ChannelKind::kCurrent;
    }
    return layout;
  }
};

Result<Layout> detect(const IotaFile& file, Progress* progress) {
  DetectState state;
  Status s = for_each_record(file, nullptr, [&](const IotaLogRecord& r, int64_t, const std::string& why) {
    if (why.empty()) state.add(r);
    progress->step();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return state.layout();
}

int64_t micros(double units) { return std::llround(units * 1e6); }

// Converts good records to datalog records, keeping the import/export split of CT channels.
class Converter {
 public:
  Converter(Layout source, size_t target_channels) : source_(std::move(source)), target_channels_(target_channels) {
    source_.resize(kIotaChannels, ChannelKind::kUnused);
  }

  Record convert(const IotaLogRecord& r) {
    Record out;
    out.time = r.unix_time;
    out.monitored_us = std::llround(r.log_hours * 3.6e9);
    out.channels.resize(target_channels_);
    for (size_t c = 0; c < kIotaChannels; ++c) {
      auto& cc = totals_[c];
      switch (source_[c]) {
        case ChannelKind::kCurrent: {
          const int64_t net = micros(r.accum1[c]);
          const int64_t prev = started_ ? net_[c] : 0;
          // |net| and |prev| are at most 9e18 micro-units (kMaxAccum), so a file that swings
          // from one bound to the other has a change beyond int64 (found by
          // fuzz/iotawatt_import_fuzz): its size is taken in uint64, and the sums saturate.
          const bool up = net >= prev;
          const uint64_t step = up ? static_cast<uint64_t>(net) - static_cast<uint64_t>(prev)
                                   : static_cast<uint64_t>(prev) - static_cast<uint64_t>(net);
          int64_t& sum = up ? import_[c] : export_[c];  // never negative
          sum = step > static_cast<uint64_t>(INT64_MAX - sum) ? INT64_MAX : sum + static_cast<int64_t>(step);
          net_[c] = net;
          cc.wh_import.set(import_[c]);
          cc.wh_export.set(export_[c]);
          cc.vah.set(micros(r.accum2[c]));
          cc.seconds.set(out.monitored_us);
          break;
        }
        case ChannelKind::kVoltage:
          cc.vh.set(micros(r.accum1[c]));
          cc.hzh.set(micros(r.accum2[c]));
          cc.seconds.set(out.monitored_us);
          break;
        case ChannelKind::kUnused:
          break;
      }
      if (c < target_channels_) out.channels[c] = cc;
    }
    started_ = true;
    return out;
  }
  const measure::ChannelCounters& totals(size_t c) const { return totals_[c]; }

 private:
  Layout source_;
  size_t target_channels_;
  bool started_ = false;
  std::array<int64_t, kIotaChannels> net_{};
  std::array<int64_t, kIotaChannels> import_{};
  std::array<int64_t, kIotaChannels> export_{};
  std::array<measure::ChannelCounters, kIotaChannels> totals_{};
};

Status check_layouts(const std::string& file, const Layout& source, const Log& target) {
  const Layout& t = target.options().layout;
  for (size_t c = 0; c < source.size(); ++c) {
    if (source[c] == ChannelKind::kUnused) continue;
    if (c >= t.size()) {
      return Status::InvalidArgument(file + ": channel " + std::to_string(c) + " is a " + kind_name(source[c]) +
                                     " but the target log " + target.dir() + " has only " + std::to_string(t.size()) +
                                     " channels; open the target with the file's layout");
    }
    if (t[c] != source[c]) {
      return Status::InvalidArgument(file + ": channel " + std::to_string(c) + " is a " + kind_name(source[c]) +
                                     " in the file but " + kind_name(t[c]) + " in the target log " + target.dir() +
                                     "; open the target with the file's layout (or pass the right layout)");
    }
  }
  return Status::Ok();
}

}  // namespace

IotaLogRecord decode_iota_log_record(const uint8_t* in) {
  IotaLogRecord r;
  r.unix_time = load_u32(in);
  r.serial = static_cast<int32_t>(load_u32(in + 4));
  r.log_hours = load_f64(in + 8);
  for (size_t c = 0; c < kIotaChannels; ++c) {
    r.accum1[c] = load_f64(in + 16 + 8 * c);
    r.accum2[c] = load_f64(in + 136 + 8 * c);
  }
  return r;
}

Result<Layout> detect_iotawatt_layout(const std::string& path) {
  ImportReport scratch;
  IotaFile file;
  Status s = file.open(path, &scratch);
  if (!s.ok()) return s;
  ImportOptions none;
  Progress progress{none, file.size()};
  return detect(file, &progress);
}

Result<ImportReport> import_iotawatt_log(const std::string& path, Log& target, const ImportOptions& options) {
  ImportReport report;
  IotaFile file;
  Status s = file.open(path, &report);
  if (!s.ok()) return s;
  if (report.records_read == 0) {
    return Status::InvalidArgument(path + ": no records (" + std::to_string(report.file_bytes) +
                                   " bytes); is this an IoTaWatt iotalog.log or histlog.log?");
  }

  Progress progress{options, file.size() * (options.layout ? 1 : 2)};
  if (options.layout) {
    if (options.layout->size() > kIotaChannels) {
      return Status::InvalidArgument(path + ": the given layout has " + std::to_string(options.layout->size()) +
                                     " channels; the original has " + std::to_string(kIotaChannels));
    }
    report.layout = *options.layout;
    report.layout.resize(kIotaChannels, ChannelKind::kUnused);
  } else {
    auto detected = detect(file, &progress);
    if (!detected.ok()) return detected.status();
    report.layout = std::move(detected.value());
    report.layout_detected = true;
  }
  s = check_layouts(path, report.layout, target);
  if (!s.ok()) return s;

  const std::optional<int64_t> target_last = target.last_time();
  const int64_t interval = target.interval();
  Converter converter(report.layout, target.options().layout.size());
  std::vector<Record> batch;
  batch.reserve(kBatchRecords);
  std::optional<IotaLogRecord> last_good;
  std::optional<int64_t> first_existing, last_existing, first_off_grid;

  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    const std::optional<int64_t> before = target.last_time();
    Status st = target.append_batch(batch);
    if (!st.ok()) {
      const std::optional<int64_t> after = target.last_time();
      int64_t written = 0;
      for (const Record& r : batch) written += (after && r.time <= *after && (!before || r.time > *before)) ? 1 : 0;
      return Status::IOError("import of " + path + " into " + target.dir() + " stopped after " +
                             std::to_string(report.imported + written) + " records: " + st.message());
    }
    report.imported += static_cast<int64_t>(batch.size());
    if (!report.imported_first) report.imported_first = batch.front().time;
    report.imported_last = batch.back().time;
    batch.clear();
    return Status::Ok();
  };

  s = for_each_record(file, &report.layout,
                      [&](const IotaLogRecord& r, int64_t offset, const std::string& why) -> Status {
                        progress.step();
                        if (!why.empty()) {
                          ++report.damaged;
                          if (report.damage.size() < options.max_listed) {
                            report.damage.push_back(
                                {offset, why, path + ": record at byte offset " + std::to_string(offset) + ": " + why});
                          }
                          return Status::Ok();
                        }
                        last_good = r;
                        const int64_t t = r.unix_time;
                        if (!report.first_time) report.first_time = t;
                        report.last_time = t;
                        Record rec = converter.convert(r);  // always, so the CT import/export split stays continuous
                        report.monitored_us = rec.monitored_us;
                        if (target_last && t <= *target_last) {
                          ++report.skipped_existing;
                          if (!first_existing) first_existing = t;
                          last_existing = t;
                          return Status::Ok();
                        }
                        if (t % interval != 0) {
                          ++report.skipped_off_grid;
                          if (!first_off_grid) first_off_grid = t;
                          return Status::Ok();
                        }
                        batch.push_back(std::move(rec));
                        return batch.size() >= kBatchRecords ? flush() : Status::Ok();
                      });
  if (s.ok()) s = flush();
  if (!s.ok()) return s;
  progress.finish();

  if (report.skipped_existing > 0) {
    report.skipped_reasons.push_back(
        std::to_string(report.skipped_existing) + " records (" + time_text(*first_existing) + " to " +
        time_text(*last_existing) + ") are at or before the last record of " + target.dir() + " (" +
        time_text(*target_last) +
        "): a log only grows forward in time, so they were not imported (already imported, or the daemon "
        "has written newer data: import before the daemon logs, into a log that ends before " +
        time_text(*report.first_time) + ")");
  }
  if (report.skipped_off_grid > 0) {
    report.skipped_reasons.push_back(std::to_string(report.skipped_off_grid) + " records (the first at " +
                                     time_text(*first_off_grid) + ") are not at a multiple of the target's " +
                                     std::to_string(interval) + " s interval");
  }

  report.channels.resize(kIotaChannels);
  for (size_t c = 0; c < kIotaChannels; ++c) {
    auto& ch = report.channels[c];
    ch.kind = report.layout[c];
    if (last_good) {
      ch.accum1 = last_good->accum1[c];
      ch.accum2 = last_good->accum2[c];
    }
    ch.counters = converter.totals(c);
  }
  if (last_good) report.log_hours = last_good->log_hours;
  return report;
}

std::string ImportReport::summary() const {
  std::string s = file + ": " + std::to_string(file_bytes) + " bytes, " + std::to_string(records_read) + " records";
  if (wrapped) s += " (a ring; oldest record at byte offset " + std::to_string(wrap_offset) + ")";
  s += "\n";
  if (first_time) s += "  good records from " + time_text(*first_time) + " to " + time_text(*last_time) + "\n";
  s += "  imported " + std::to_string(imported);
  if (imported_first) s += " (" + time_text(*imported_first) + " to " + time_text(*imported_last) + ")";
  s += "\n";
  if (preformatted > 0) s += "  ignored " + std::to_string(preformatted) + " preformatted (zero) records at the end\n";
  if (partial_bytes > 0) {
    s += "  ignored a partial record of " + std::to_string(partial_bytes) + " bytes at byte offset " +
         std::to_string(partial_offset) + "\n";
  }
  if (damaged > 0) {
    s += "  skipped " + std::to_string(damaged) + " damaged records\n";
    for (const auto& d : damage) s += "    " + d.text + "\n";
    if (static_cast<int64_t>(damage.size()) < damaged) {
      s += "    ... and " + std::to_string(damaged - static_cast<int64_t>(damage.size())) + " more\n";
    }
  }
  for (const auto& r : skipped_reasons) s += "  skipped " + r + "\n";
  s += "  channels (" + std::string(layout_detected ? "detected" : "given") + "), final totals of the original:\n";
  for (size_t c = 0; c < channels.size(); ++c) {
    const auto& ch = channels[c];
    char line[160];
    if (ch.kind == ChannelKind::kCurrent) {
      std::snprintf(line, sizeof line, "    %2zu CT  %.6f Wh net (%.6f import, %.6f export)  %.6f VAh\n", c, ch.accum1,
                    ch.counters.wh_import.value(), ch.counters.wh_export.value(), ch.accum2);
    } else if (ch.kind == ChannelKind::kVoltage) {
      std::snprintf(line, sizeof line, "    %2zu VT  %.6f V*h  %.6f Hz*h\n", c, ch.accum1, ch.accum2);
    } else {
      continue;
    }
    s += line;
  }
  s += "  monitored hours " + std::to_string(log_hours) + "\n";
  return s;
}

}  // namespace iw::datalog
