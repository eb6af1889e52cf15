#include "base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace iw {
namespace {

TEST(StatusTest, OkHasNoKindAndNoMessage) {
  const Status s = Status::Ok();
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s);
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_FALSE(s.is_not_found() || s.is_end() || s.is_corruption() || s.is_io_error() || s.is_invalid_argument() ||
               s.is_unavailable());
  EXPECT_EQ(s.to_string(), "OK");
  EXPECT_TRUE(Status().ok());
}

// Each factory sets its kind and only its kind; the message is kept exactly as given (tests and
// users compare it), and to_string adds the kind in front.
TEST(StatusTest, EachKindKeepsItsMessage) {
  struct Case {
    Status status;
    bool (Status::*is)() const;
    const char* name;
  };
  const Case cases[] = {
      {Status::NotFound("m"), &Status::is_not_found, "NotFound"},
      {Status::End("m"), &Status::is_end, "End"},
      {Status::Corruption("m"), &Status::is_corruption, "Corruption"},
      {Status::IOError("m"), &Status::is_io_error, "IOError"},
      {Status::InvalidArgument("m"), &Status::is_invalid_argument, "InvalidArgument"},
      {Status::Unavailable("m"), &Status::is_unavailable, "Unavailable"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.name;
    EXPECT_FALSE(c.status) << c.name;
    EXPECT_EQ(c.status.message(), "m") << c.name;
    EXPECT_EQ(c.status.to_string(), std::string(c.name) + ": m");
    int kinds = 0;
    for (const Case& other : cases) kinds += (c.status.*other.is)() ? 1 : 0;
    EXPECT_EQ(kinds, 1) << c.name;
    EXPECT_TRUE((c.status.*c.is)()) << c.name;
  }
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), 7);
  Result<int> error = Status::Corruption("bad magic");
  ASSERT_FALSE(error.ok());
  EXPECT_TRUE(error.status().is_corruption());
  EXPECT_EQ(error.error(), "bad magic");
}

}  // namespace
}  // namespace iw
