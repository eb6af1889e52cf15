// Stands in for an ADC board whose devices could not be opened (no /dev/spidev*, no permission),
// so the daemon can serve its config and say why it does not measure. It yields no samples:
// every read() returns the opening error, after a short wait so a caller looping on it does not
// spin. The daemon does not start a sampler on it; it opens the board again (app/source_retry.h).
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "source/board.h"
#include "source/sample_source.h"

namespace iw::source {

class UnavailableSource final : public SampleSource {
 public:
  // `error`: why the board's devices could not be opened (Status::Unavailable).
  UnavailableSource(const Board& board, Status error) : error_(std::move(error)) {
    std::string devices;
    for (const std::string& d : board.spi_devices) devices += (devices.empty() ? "" : ", ") + d;
    description_ = std::string(to_string(board.chip)) + " x" + std::to_string(board.chip_count()) + " (" + devices +
                   "), board " + board.name + ", not open";
  }

  Status read(measure::SampleBlock& /*block*/) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return error_;
  }
  std::string describe() const override { return description_; }
  const Status& error() const { return error_; }

 private:
  Status error_;
  std::string description_;
};

}  // namespace iw::source
