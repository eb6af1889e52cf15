#include "source/recording_source.h"

#include <utility>

namespace iw::source {

RecordingSource::RecordingSource(std::unique_ptr<SampleSource> inner, std::unique_ptr<ReplayWriter> writer)
    : inner_(std::move(inner)), writer_(std::move(writer)) {}

Status RecordingSource::read(measure::SampleBlock& block) {
  if (Status s = inner_->read(block); !s) return s;
  return writer_->append(block);
}

std::string RecordingSource::describe() const { return inner_->describe() + ", recording to " + writer_->path(); }

}  // namespace iw::source
