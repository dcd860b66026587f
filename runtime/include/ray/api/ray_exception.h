// Exception types of Ray's C++ API (ray/api/ray_exception.h), with the same names and
// hierarchy so that `catch` clauses written against Ray work unchanged here.
#pragma once

#include <exception>
#include <string>

namespace ray {
namespace internal {

class RayException : public std::exception {
 public:
  RayException(const std::string &msg) : msg_(msg) {}
  const char *what() const noexcept override { return msg_.c_str(); }
  std::string msg_;
};

class RayActorException : public RayException {
 public:
  RayActorException(const std::string &msg) : RayException(msg) {}
};

class RayTaskException : public RayException {
 public:
  RayTaskException(const std::string &msg) : RayException(msg) {}
};

class RayWorkerException : public RayException {
 public:
  RayWorkerException(const std::string &msg) : RayException(msg) {}
};

class UnreconstructableException : public RayException {
 public:
  UnreconstructableException(const std::string &msg) : RayException(msg) {}
};

class RayFunctionNotFound : public RayException {
 public:
  RayFunctionNotFound(const std::string &msg) : RayException(msg) {}
};

class RayRuntimeEnvException : public RayException {
 public:
  RayRuntimeEnvException(const std::string &msg) : RayException(msg) {}
};

class RayTimeoutException : public RayException {
 public:
  RayTimeoutException(const std::string &msg) : RayException(msg) {}
};

}  // namespace internal
}  // namespace ray
