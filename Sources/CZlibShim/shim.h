#ifndef BELAY_CZLIB_SHIM_H
#define BELAY_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2 / deflateInit2 are macros.
static inline int czlib_inflate_init2(z_streamp strm, int windowBits) {
    return inflateInit2_(strm, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}
static inline int czlib_deflate_init2(z_streamp strm, int level, int windowBits) {
    return deflateInit2_(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream));
}
#endif
