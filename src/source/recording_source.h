// A SampleSource decorator that passes another source's blocks through and appends each to
// a replay file: what `iotawatt record` runs.
#pragma once

#include <memory>
#include <string>

#include "source/replay_writer.h"
#include "source/sample_source.h"

namespace iw::source {

class RecordingSource final : public SampleSource {
 public:
  // REQUIRES: inner and writer non-null; the writer's adc_bits match the inner source's.
  RecordingSource(std::unique_ptr<SampleSource> inner, std::unique_ptr<ReplayWriter> writer);

  // Reads from the inner source, then appends the block. An inner error (End too) is returned as is
  // (nothing recorded); a write error is returned naming the file (the block was read but is
  // not in the file, so the recording and the caller stay in step only if the caller stops).
  Status read(measure::SampleBlock& block) override;
  std::string describe() const override;

  SampleSource& inner() { return *inner_; }
  ReplayWriter& writer() { return *writer_; }

 private:
  std::unique_ptr<SampleSource> inner_;
  std::unique_ptr<ReplayWriter> writer_;
};

}  // namespace iw::source
