// An actor's error as an HTTP answer: the one mapping (protocol/error.hpp,
// http_answer_of) with o2hub's JSON error body. Every route uses this.
#pragma once

#include "io/http.hpp"
#include "protocol/error.hpp"

namespace o2hub::http {

/// `{"detail": <the error's text>, "code": ...}` with the mapped status.
inline response from_error(const request& req, const caf::error& err) {
  auto answer = http_answer_of(err);
  return make_error(req, static_cast<status>(answer.status), answer.code,
                    error_detail(err));
}

} // namespace o2hub::http
