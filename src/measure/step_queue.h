// A bounded FIFO of step events between the sampling thread (which pushes, never blocking and
// never allocating) and whoever drains them (the daemon, in a later slice).
//
// Invariant: size() <= capacity(); a push into a full queue drops the new event and counts it
// in dropped(), so the oldest events survive a drain that comes late. Not thread-safe: the
// owner serialises push and pop (the engine's lock in the daemon).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "measure/step_event.h"

namespace iw::measure {

class StepQueue {
 public:
  explicit StepQueue(size_t capacity = 1024) : slots_(capacity) {}

  // False (and dropped() + 1) when full.
  bool push(const StepEvent& e) {
    if (size_ == slots_.size()) {
      ++dropped_;
      return false;
    }
    slots_[(head_ + size_) % slots_.size()] = e;
    ++size_;
    ++pushed_;
    return true;
  }
  // The oldest event; false when empty.
  bool pop(StepEvent* out) {
    if (size_ == 0) return false;
    *out = slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --size_;
    return true;
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  bool empty() const { return size_ == 0; }
  uint64_t pushed() const { return pushed_; }    // accepted since construction
  uint64_t dropped() const { return dropped_; }  // refused for want of room

 private:
  std::vector<StepEvent> slots_;  // sized once; never reallocated
  size_t head_ = 0;
  size_t size_ = 0;
  uint64_t pushed_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace iw::measure
