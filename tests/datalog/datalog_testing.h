// Helpers for the datalog tests: temporary directories and records whose counters are a known
// function of their time, so continuity and integrity can be checked from a record alone.
#pragma once

#include <filesystem>

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "datalog/log.h"
#include "datalog/record.h"

namespace iw::datalog::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
    tmpl += "/datalog_test.XXXXXX";
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() { Remove(path_); }
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

  static void Remove(const std::string& path) {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }

 private:
  std::string path_;
};

// Opens `dir` for writing without fsyncs (they are slow on some disks and unit tests need none);
// null, and a failed test, when it cannot.
inline std::unique_ptr<Log> OpenQuietOrDie(const std::string& dir, LogOptions o) {
  o.sync_interval_s = 1 << 30;
  auto log = Log::Open(dir, o);
  EXPECT_TRUE(log.ok()) << log.error();
  return log.ok() ? std::move(log.value()) : nullptr;
}

inline Layout TestLayout() {
  // 1 VT, 2 CT, 1 unused, 1 CT.
  using K = measure::ChannelKind;
  return {K::kVoltage, K::kCurrent, K::kCurrent, K::kUnused, K::kCurrent};
}

inline Layout IotaWattLayout() {
  Layout layout(15, measure::ChannelKind::kCurrent);
  layout[0] = measure::ChannelKind::kVoltage;
  return layout;
}

// Counters as a function of time: each value is distinct per channel and field, and increasing.
inline Record MakeRecord(const Layout& layout, int64_t t) {
  Record r;
  r.time = t;
  r.monitored_us = t * 1000000 - 17;
  r.channels.resize(layout.size());
  for (size_t ch = 0; ch < layout.size(); ++ch) {
    auto& c = r.channels[ch];
    const auto base = static_cast<int64_t>(ch + 1) * 1000 + t * 7;
    switch (layout[ch]) {
      case measure::ChannelKind::kVoltage:
        c.vh.set(base * 240);
        c.hzh.set(base * 50);
        break;
      case measure::ChannelKind::kCurrent:
        c.wh_import.set(base * 11);
        c.wh_export.set(base * 3);
        c.vah.set(base * 13);
        c.varh.set(base * 5);
        c.vh.set(base * 239);
        c.ah.set(base * 2);
        break;
      case measure::ChannelKind::kUnused:
        break;
    }
  }
  return r;
}

// True when `r` holds exactly what MakeRecord wrote for its time (flags aside).
inline bool Matches(const Layout& layout, const Record& r) {
  const Record want = MakeRecord(layout, r.time);
  if (r.monitored_us != want.monitored_us || r.channels.size() != want.channels.size()) {
    return false;
  }
  for (size_t ch = 0; ch < layout.size(); ++ch) {
    const auto& a = r.channels[ch];
    const auto& b = want.channels[ch];
    if (a.wh_import.micros() != b.wh_import.micros() || a.wh_export.micros() != b.wh_export.micros() ||
        a.vah.micros() != b.vah.micros() || a.varh.micros() != b.varh.micros() || a.vh.micros() != b.vh.micros() ||
        a.ah.micros() != b.ah.micros() || a.hzh.micros() != b.hzh.micros()) {
      return false;
    }
  }
  return true;
}

inline std::vector<std::string> ListNames(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace iw::datalog::testing
