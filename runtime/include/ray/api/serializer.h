// msgpack encoding of every argument and result, so that tasks and actors see copies
// with exactly the value semantics they would have on a cluster.
#pragma once

#include <msgpack.hpp>
#include <string>

namespace ray {
namespace internal {

/// Appends msgpack output to a std::string; short values stay in its inline buffer.
struct StringSink {
  std::string *out;
  void write(const char *data, size_t size) { out->append(data, size); }
};

}  // namespace internal
}  // namespace ray

// msgpack-cxx 4 packs a float that holds a whole number as an integer, which turns
// -0.0 into 0 and is not what Ray's own (older) msgpack does. Values must cross tasks
// bit for bit, so the runtime's packer always writes IEEE float32 and float64.
namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(v1) {
  template <>
  inline packer<ray::internal::StringSink>
      &packer<ray::internal::StringSink>::pack_double(double d) {
    union {
      double f;
      uint64_t i;
    } mem;
    mem.f = d;
    char buf[9];
    buf[0] = static_cast<char>(0xcbu);
    _msgpack_store64(&buf[1], mem.i);
    append_buffer(buf, 9);
    return *this;
  }

  template <>
  inline packer<ray::internal::StringSink> &packer<ray::internal::StringSink>::pack_float(
      float d) {
    union {
      float f;
      uint32_t i;
    } mem;
    mem.f = d;
    char buf[5];
    buf[0] = static_cast<char>(0xcau);
    _msgpack_store32(&buf[1], mem.i);
    append_buffer(buf, 5);
    return *this;
  }
}  // MSGPACK_API_VERSION_NAMESPACE(v1)
}  // namespace msgpack

namespace ray {
namespace internal {

class Serializer {
 public:
  template <typename T>
  static std::string Serialize(const T &value) {
    std::string bytes;
    StringSink sink{&bytes};
    msgpack::pack(sink, value);
    return bytes;
  }

  template <typename T>
  static T Deserialize(const std::string &bytes) {
    return Deserialize<T>(bytes.data(), bytes.size());
  }

  template <typename T>
  static T Deserialize(const char *data, size_t size) {
    // A fresh zone costs an 8 KiB allocation per call; a per-thread zone, cleared
    // after each use, keeps small objects allocation-free.
    thread_local msgpack::zone zone;
    struct ClearOnExit {
      msgpack::zone &zone;
      ~ClearOnExit() { zone.clear(); }
    } clear{zone};
    // Strings and binary payloads are read in place rather than copied into the zone:
    // the source bytes outlive the conversion below.
    auto reference_in_place = [](msgpack::type::object_type, std::size_t, void *) {
      return true;
    };
    std::size_t offset = 0;
    msgpack::object object =
        msgpack::unpack(zone, data, size, offset, reference_in_place, nullptr);
    return object.as<T>();
  }
};

}  // namespace internal
}  // namespace ray
