// Carries a streamed response body from the handler's worker thread to the connection's I/O
// thread. At most `capacity` bytes wait in it: the producer blocks while it is full, so a slow
// reader slows the query instead of growing memory. Either side may end it: the consumer by
// cancel() (client gone, write deadline passed, server stopping), after which every write()
// returns false at once; the producer by finish().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace iw::server {

class ResponsePipe {
 public:
  // `wake` is called (on the producer's thread, no lock held) after data or the end arrives;
  // it must only schedule the consumer, never run it inline.
  ResponsePipe(size_t capacity, std::function<void()> wake) : capacity_(capacity), wake_(std::move(wake)) {}

  // Producer side. False when the consumer is gone.
  bool write(std::string_view piece);
  void finish();

  // Consumer side: everything buffered (possibly empty). `*finished` is set once the producer
  // is done and nothing is left.
  std::string take(bool* finished);
  void cancel();

 private:
  const size_t capacity_;
  const std::function<void()> wake_;
  std::mutex mutex_;
  std::condition_variable drained_;
  std::string buffer_;
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace iw::server
