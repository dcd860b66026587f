// msgpack encoding of every argument and result, so that tasks and actors see copies
// with exactly the value semantics they would have on a cluster.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <msgpack.hpp>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ray {
namespace internal {

/// Appends msgpack output to a std::string; short values stay in its inline buffer.
struct StringSink {
  std::string *out;
  void write(const char *data, size_t size) { out->append(data, size); }
};

/// Whether msgpack writes `value` as a positive fixint, the one byte 0 to 127.
template <typename Int>
constexpr bool IsPositiveFixint(Int value) {
  if constexpr (std::is_signed_v<Int>) {
    return value >= 0 && value <= 127;
  } else {
    return value <= 127;
  }
}

/// Writes msgpack output into a block the caller sized for it.
struct BlockSink {
  char *data;
  size_t used;
  void write(const char *bytes, size_t size) {
    std::memcpy(data + used, bytes, size);
    used += size;
  }
};

/// Writes `value` at `at` as msgpack float64 (0xcb) or float32 (0xca) in big-endian
/// order: 1 + sizeof(Float) bytes.
template <typename Float>
inline void StoreIeeeFloat(char *at, Float value) {
  if constexpr (sizeof(Float) == 8) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    at[0] = static_cast<char>(0xcbu);
    _msgpack_store64(at + 1, bits);
  } else {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    at[0] = static_cast<char>(0xcau);
    _msgpack_store32(at + 1, bits);
  }
}

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
    char buf[9];
    ray::internal::StoreIeeeFloat(buf, d);
    append_buffer(buf, sizeof buf);
    return *this;
  }

  template <>
  inline packer<ray::internal::StringSink> &packer<ray::internal::StringSink>::pack_float(
      float d) {
    char buf[5];
    ray::internal::StoreIeeeFloat(buf, d);
    append_buffer(buf, sizeof buf);
    return *this;
  }
}  // MSGPACK_API_VERSION_NAMESPACE(v1)
}  // namespace msgpack

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(v1) {
  namespace adaptor {

  // Vectors of numbers, also inside other containers and MSGPACK_DEFINE structs: the
  // runtime's packer writes their elements into a block on the stack and appends the
  // block at once, byte for byte what it writes one element at a time, at a fraction
  // of the cost (appending one to nine bytes per element to the string cost more than
  // the packing). Floats go as IEEE float32/float64; integers in msgpack's smallest
  // form, through msgpack's own packer. Large numeric arrays are what tasks ship most.
  // (Vectors of char and unsigned char are msgpack bin, not arrays.)
  template <typename Number>
  struct NumberArrayPack {
    template <typename Stream>
    packer<Stream> &operator()(packer<Stream> &o, const std::vector<Number> &v) const {
      o.pack_array(checked_get_container_size(v.size()));
      if constexpr (!std::is_same_v<Stream, ray::internal::StringSink>) {
        for (Number value : v) o.pack(value);  // other packers may write floats otherwise
      } else {
        constexpr bool kFloat = std::is_floating_point_v<Number>;
        constexpr size_t kWidest = kFloat ? 1 + sizeof(Number) : 9;  // a tag and bytes
        char block[kWidest * 512];
        ray::internal::BlockSink sink{block, 0};
        packer<ray::internal::BlockSink> element_packer(sink);
        for (Number value : v) {
          if (sink.used > sizeof block - kWidest) {
            o.pack_bin_body(block, static_cast<uint32_t>(sink.used));  // raw bytes
            sink.used = 0;
          }
          if constexpr (kFloat) {
            ray::internal::StoreIeeeFloat(block + sink.used, value);
            sink.used += kWidest;
          } else if (ray::internal::IsPositiveFixint(value)) {  // the byte itself
            block[sink.used++] = static_cast<char>(value);
          } else {
            element_packer.pack(value);
          }
        }
        o.pack_bin_body(block, static_cast<uint32_t>(sink.used));
      }
      return o;
    }
  };

  template <>
  struct pack<std::vector<double>> : NumberArrayPack<double> {};
  template <>
  struct pack<std::vector<float>> : NumberArrayPack<float> {};
  template <>
  struct pack<std::vector<short>> : NumberArrayPack<short> {};
  template <>
  struct pack<std::vector<unsigned short>> : NumberArrayPack<unsigned short> {};
  template <>
  struct pack<std::vector<int>> : NumberArrayPack<int> {};
  template <>
  struct pack<std::vector<unsigned>> : NumberArrayPack<unsigned> {};
  template <>
  struct pack<std::vector<long>> : NumberArrayPack<long> {};
  template <>
  struct pack<std::vector<unsigned long>> : NumberArrayPack<unsigned long> {};
  template <>
  struct pack<std::vector<long long>> : NumberArrayPack<long long> {};
  template <>
  struct pack<std::vector<unsigned long long>> : NumberArrayPack<unsigned long long> {};

  }  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE(v1)
}  // namespace msgpack

namespace ray {
namespace internal {

/// The fields of a struct that ties every one it encodes, in MSGPACK_DEFINE's order:
/// `auto rayify_fields() { return std::tie(a, b); }` beside `MSGPACK_DEFINE(a, b)`, as
/// rayify writes its result structs. Such a struct is exactly its fields, so it may be
/// kept in the store and read field by field (DirectReader); other user types go
/// through msgpack's objects. Ray's own API never looks at the member.
template <typename T, typename = void>
struct TiedFields {
  static constexpr bool kTied = false;
};
template <typename T>
struct TiedFields<T, std::void_t<decltype(std::declval<T &>().rayify_fields())>> {
  using Tuple = decltype(std::declval<T &>().rayify_fields());
  static constexpr bool kTied = std::is_class_v<T> && !std::is_polymorphic_v<T>;
};

/// Whether Trait holds for the type of every field in a tuple of references.
template <template <typename...> class Trait, typename Tuple>
struct EveryField;
template <template <typename...> class Trait, typename... Fields>
struct EveryField<Trait, std::tuple<Fields...>>
    : std::bool_constant<(Trait<std::remove_reference_t<Fields>>::value && ...)> {};

/// Reads msgpack straight into numbers, (nested) std::vectors of numbers and structs
/// that tie their fields, with no intermediate msgpack::object per element. It
/// accepts exactly the encodings it can convert the way msgpack's own conversion
/// would; on anything else Read returns false and the caller takes msgpack's path,
/// which gives the value or the error.
template <typename T, typename = void>
struct DirectReader {
  static constexpr bool kSupported = false;
};

class MsgpackCursor {
 public:
  MsgpackCursor(const char *data, size_t size)
      : at_(reinterpret_cast<const unsigned char *>(data)), end_(at_ + size) {}

  size_t Left() const { return static_cast<size_t>(end_ - at_); }

  bool Byte(unsigned char &out) {
    if (at_ == end_) return false;
    out = *at_++;
    return true;
  }

  /// A big-endian unsigned integer of `width` bytes.
  bool BigEndian(int width, uint64_t &out) {
    if (Left() < static_cast<size_t>(width)) return false;
    out = 0;
    for (int i = 0; i < width; ++i) out = (out << 8) | *at_++;
    return true;
  }

  /// A float64 (tag 0xcb and eight big-endian bytes), the form of every double the
  /// runtime's packer writes; false, reading nothing, for any other form.
  bool Float64(double &out) {
    if (Left() < 9 || *at_ != 0xcb) return false;
    out = BigEndianDouble(at_ + 1);
    at_ += 9;
    return true;
  }

  /// `count` float64s in a row, each decoded and handed to `take` as it is reached;
  /// false, with the cursor where it was, at the first that lacks the 0xcb tag (what
  /// `take` was handed until then is the caller's to drop).
  template <typename Take>
  bool Float64Run(uint64_t count, Take take) {
    if (count > Left() / 9) return false;
    for (uint64_t i = 0; i < count; ++i) {
      if (at_[9 * i] != 0xcb) return false;
      take(BigEndianDouble(at_ + 9 * i + 1));
    }
    at_ += 9 * count;
    return true;
  }

  /// A positive fixint (0 to 127, the byte itself) into any integer type; false,
  /// reading nothing, for any other form.
  template <typename Int>
  bool PositiveFixint(Int &out) {
    if (at_ == end_ || *at_ > 0x7f) return false;
    out = static_cast<Int>(*at_++);
    return true;
  }

  /// An array header's element count.
  bool ArrayHeader(uint64_t &count) {
    unsigned char tag;
    if (!Byte(tag)) return false;
    if ((tag & 0xf0u) == 0x90u) {
      count = tag & 0x0fu;
      return true;
    }
    return (tag == 0xdc && BigEndian(2, count)) || (tag == 0xdd && BigEndian(4, count));
  }

 private:
  /// The double whose IEEE bits `at` holds in big-endian order.
  static double BigEndianDouble(const unsigned char *at) {
    uint64_t bits;
    std::memcpy(&bits, at, sizeof bits);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    bits = __builtin_bswap64(bits);
#endif
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  const unsigned char *at_;
  const unsigned char *end_;
};

template <typename T>
struct DirectNumberReader {
  static constexpr bool kSupported = true;
  static bool Read(MsgpackCursor &in, T &out) {
    if constexpr (std::is_same_v<T, double>) {
      if (in.Float64(out)) return true;  // vectors of doubles: most of what tasks return
    }
    unsigned char tag;
    if (!in.Byte(tag)) return false;
    if constexpr (std::is_floating_point_v<T>) {
      uint64_t bits;
      if (tag == 0xcb && in.BigEndian(8, bits)) {
        double value;
        std::memcpy(&value, &bits, sizeof value);
        out = static_cast<T>(value);
        return true;
      }
      if (tag == 0xca && in.BigEndian(4, bits)) {
        uint32_t narrow = static_cast<uint32_t>(bits);
        float value;
        std::memcpy(&value, &narrow, sizeof value);
        out = static_cast<T>(value);
        return true;
      }
      return false;  // integers stored for floats: msgpack's path converts them
    } else {
      if (tag <= 0x7f) return Fits(static_cast<uint64_t>(tag), out);
      if (tag >= 0xe0) return Fits(static_cast<int64_t>(static_cast<int8_t>(tag)), out);
      uint64_t raw;
      switch (tag) {
        case 0xcc:
          return in.BigEndian(1, raw) && Fits(raw, out);
        case 0xcd:
          return in.BigEndian(2, raw) && Fits(raw, out);
        case 0xce:
          return in.BigEndian(4, raw) && Fits(raw, out);
        case 0xcf:
          return in.BigEndian(8, raw) && Fits(raw, out);
        case 0xd0:
          return in.BigEndian(1, raw) && Fits(int64_t(int8_t(raw)), out);
        case 0xd1:
          return in.BigEndian(2, raw) && Fits(int64_t(int16_t(raw)), out);
        case 0xd2:
          return in.BigEndian(4, raw) && Fits(int64_t(int32_t(raw)), out);
        case 0xd3:
          return in.BigEndian(8, raw) && Fits(static_cast<int64_t>(raw), out);
        default:
          return false;
      }
    }
  }

  // Out of range is msgpack's type error, which its path raises.
  template <typename Source>
  static bool Fits(Source value, T &out) {
    if constexpr (std::is_signed_v<Source>) {
      if (value < 0) {
        if constexpr (std::is_unsigned_v<T>) {
          return false;
        } else {
          if (value < static_cast<int64_t>(std::numeric_limits<T>::min())) return false;
        }
      } else if (static_cast<uint64_t>(value) > std::numeric_limits<T>::max()) {
        return false;
      }
    } else if (value > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    out = static_cast<T>(value);
    return true;
  }
};

template <>
struct DirectReader<double> : DirectNumberReader<double> {};
template <>
struct DirectReader<float> : DirectNumberReader<float> {};
template <>
struct DirectReader<int> : DirectNumberReader<int> {};
template <>
struct DirectReader<long> : DirectNumberReader<long> {};
template <>
struct DirectReader<long long> : DirectNumberReader<long long> {};
template <>
struct DirectReader<unsigned> : DirectNumberReader<unsigned> {};
template <>
struct DirectReader<unsigned long> : DirectNumberReader<unsigned long> {};
template <>
struct DirectReader<unsigned long long> : DirectNumberReader<unsigned long long> {};

template <typename T>
struct DirectReader<std::vector<T>> {
  static constexpr bool kSupported = DirectReader<T>::kSupported;
  static bool Read(MsgpackCursor &in, std::vector<T> &out) {
    uint64_t count;
    // Every element takes a byte at least: a count beyond that is a corrupt header.
    if (!in.ArrayHeader(count) || count > in.Left()) return false;
    // Doubles as the runtime's packer writes them, a run of float64s, are read in one
    // pass into a reserved vector, not zero-filled first (tasks return megabytes of
    // them); other encodings go element by element.
    if constexpr (std::is_same_v<T, double>) {
      out.clear();
      out.reserve(count);
      if (in.Float64Run(count, [&out](double value) { out.push_back(value); }))
        return true;
    }
    out.resize(count);
    for (T &element : out) {
      // Small counts, flags and cells of a grid: one byte each, the value itself.
      if constexpr (std::is_integral_v<T>) {
        if (in.PositiveFixint(element)) continue;
      }
      if (!DirectReader<T>::Read(in, element)) return false;
    }
    return true;
  }
};

/// A C array, as msgpack writes one of numbers: an array of exactly N elements (C
/// arrays of numbers are what rayify sends tasks in place of a program's global
/// arrays, inside a struct of its own).
template <typename T, size_t N>
struct DirectReader<T[N]> {
  static constexpr bool kSupported = DirectReader<T>::kSupported;
  static bool Read(MsgpackCursor &in, T (&out)[N]) {
    uint64_t count;
    if (!in.ArrayHeader(count) || count != N) return false;
    for (T &element : out) {
      if (!DirectReader<T>::Read(in, element)) return false;
    }
    return true;
  }
};

template <typename T>
struct DirectlyReadable : std::bool_constant<DirectReader<T>::kSupported> {};

/// A struct that ties its fields (TiedFields), encoded as MSGPACK_DEFINE encodes it:
/// an array of its fields in order.
template <typename T>
struct TiedReader {
  static constexpr bool kSupported =
      EveryField<DirectlyReadable, typename TiedFields<T>::Tuple>::value;
  static bool Read(MsgpackCursor &in, T &out) {
    auto fields = out.rayify_fields();
    uint64_t count;
    if (!in.ArrayHeader(count) || count != std::tuple_size_v<decltype(fields)>)
      return false;
    return std::apply(
        [&in](auto &...field) {
          return (
              DirectReader<std::remove_reference_t<decltype(field)>>::Read(in, field) &&
              ...);
        },
        fields);
  }
};

template <typename T>
struct DirectReader<T, std::enable_if_t<TiedFields<T>::kTied>> : TiedReader<T> {};

/// A std::pair or std::tuple, as msgpack writes one: an array of its elements in order
/// (what tasks return for elements they scatter: an index and a value).
template <typename T, typename Elements>
struct ElementsReader {
  static constexpr bool kSupported = EveryField<DirectlyReadable, Elements>::value;
  static bool Read(MsgpackCursor &in, T &out) {
    uint64_t count;
    if (!in.ArrayHeader(count) || count != std::tuple_size_v<Elements>) return false;
    return std::apply(
        [&in](auto &...element) {
          return (DirectReader<std::remove_reference_t<decltype(element)>>::Read(
                      in, element) &&
                  ...);
        },
        out);
  }
};

template <typename A, typename B>
struct DirectReader<std::pair<A, B>> : ElementsReader<std::pair<A, B>, std::tuple<A, B>> {
};
template <typename... E>
struct DirectReader<std::tuple<E...>>
    : ElementsReader<std::tuple<E...>, std::tuple<E...>> {};

/// Whether a copy of a T is exactly what encoding and decoding it gives, so the store
/// may keep the value itself: numbers, strings, vectors, arrays, pairs and tuples of
/// them, and structs that tie every field they encode (TiedFields). Not other user types,
/// whose MSGPACK_DEFINE may leave fields out.
template <typename T, typename = void>
struct CopiesExactly : std::is_arithmetic<T> {};
template <>
struct CopiesExactly<std::string> : std::true_type {};
template <typename E>
struct CopiesExactly<std::vector<E>> : CopiesExactly<E> {};
template <typename E, size_t N>
struct CopiesExactly<std::array<E, N>> : CopiesExactly<E> {};
// Not char: msgpack writes a char array as the string up to its first '\0'.
template <typename E, size_t N>
struct CopiesExactly<E[N]>
    : std::bool_constant<CopiesExactly<E>::value && !std::is_same_v<E, char>> {};
template <typename A, typename B>
struct CopiesExactly<std::pair<A, B>>
    : std::bool_constant<CopiesExactly<A>::value && CopiesExactly<B>::value> {};
template <typename... E>
struct CopiesExactly<std::tuple<E...>>
    : std::bool_constant<(CopiesExactly<E>::value && ...)> {};
template <typename T>
struct CopiesExactly<T, std::enable_if_t<TiedFields<T>::kTied>>
    : EveryField<CopiesExactly, typename TiedFields<T>::Tuple> {};

/// At most the bytes msgpack takes for `value`, and exactly them for floating-point
/// numbers and vectors of them (float64 and float32 have one form): numbers, vectors
/// and C arrays of them, and structs that tie their fields (an integer counts one
/// byte, its least); 0 for other types. Serialize reserves it, so that a result of
/// megabytes is written into one block rather than copied each time the string
/// doubles, and nothing is reserved that the encoding leaves unused.
template <typename E>
size_t EncodedSizeHint(const std::vector<E> &value);

template <typename T>
size_t EncodedSizeHint(const T &value) {
  if constexpr (std::is_floating_point_v<T>) {
    return 1 + sizeof(T);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return 1;
  } else if constexpr (std::is_array_v<T>) {
    size_t total = 5;
    for (const auto &element : value) total += EncodedSizeHint(element);
    return total;
  } else if constexpr (TiedFields<T>::kTied) {
    auto fields = const_cast<T &>(value).rayify_fields();
    return std::apply(
        [](const auto &...field) { return (size_t{5} + ... + EncodedSizeHint(field)); },
        fields);
  } else {
    return 0;
  }
}

template <typename E>
size_t EncodedSizeHint(const std::vector<E> &value) {
  if constexpr (std::is_arithmetic_v<E>) {
    return 5 + value.size() * EncodedSizeHint(E{});
  } else {
    size_t total = 5;
    for (const E &element : value) total += EncodedSizeHint(element);
    return total;
  }
}

class Serializer {
 public:
  template <typename T>
  static std::string Serialize(const T &value) {
    std::string bytes;
    bytes.reserve(EncodedSizeHint(value));
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
    if constexpr (DirectReader<T>::kSupported) {
      T value;
      MsgpackCursor cursor(data, size);
      if (DirectReader<T>::Read(cursor, value)) return value;
    }
    return DeserializeObject<T>(data, size);
  }

  /// A decoded T on the heap. A large T (a C array in a struct: megabytes) is decoded
  /// in place there: as a temporary it would not fit on a worker thread's stack.
  template <typename T>
  static std::shared_ptr<T> DeserializeOnHeap(const std::string &bytes) {
    if constexpr (sizeof(T) > kLargeValueBytes && std::is_default_constructible_v<T>) {
      auto value = std::make_shared<T>();
      if constexpr (DirectReader<T>::kSupported) {
        MsgpackCursor cursor(bytes.data(), bytes.size());
        if (DirectReader<T>::Read(cursor, *value)) return value;
      }
      WithObject(bytes.data(), bytes.size(),
                 [&](const msgpack::object &object) { object.convert(*value); });
      return value;
    } else {
      return std::make_shared<T>(Deserialize<T>(bytes));
    }
  }

  /// Values larger than this are never held on the stack by the runtime.
  static constexpr size_t kLargeValueBytes = 64 * 1024;

 private:
  template <typename T>
  static T DeserializeObject(const char *data, size_t size) {
    return WithObject(data, size,
                      [](const msgpack::object &object) { return object.as<T>(); });
  }

  // What `use` returns for the msgpack object `data` encodes.
  template <typename Use>
  static decltype(auto) WithObject(const char *data, size_t size, Use &&use) {
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
    return use(msgpack::unpack(zone, data, size, offset, reference_in_place, nullptr));
  }
};

}  // namespace internal
}  // namespace ray
