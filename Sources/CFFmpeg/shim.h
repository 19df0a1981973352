#ifndef CAMPROBE_CFFMPEG_SHIM_H
#define CAMPROBE_CFFMPEG_SHIM_H

// The one door from Swift into FFmpeg. Each helper below exists because Swift
// cannot import the thing it wraps: a function-like macro, a variadic, or a
// callback whose signature involves va_list.

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libavutil/md5.h>
#include <libavutil/pixdesc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>

// AVERROR(e) is a function-like macro.
static inline int cp_averror(int posix_errno) { return AVERROR(posix_errno); }
// AVERROR_EOF / AVERROR_EXIT and the HTTP errors are built with FFERRTAG, a macro.
static inline int cp_averror_eof(void) { return AVERROR_EOF; }
static inline int cp_averror_exit(void) { return AVERROR_EXIT; }
static inline int cp_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int cp_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int cp_averror_http_unauthorized(void) { return AVERROR_HTTP_UNAUTHORIZED; }
static inline int cp_averror_http_forbidden(void) { return AVERROR_HTTP_FORBIDDEN; }
static inline int cp_averror_http_not_found(void) { return AVERROR_HTTP_NOT_FOUND; }
static inline int cp_averror_demuxer_not_found(void) { return AVERROR_DEMUXER_NOT_FOUND; }
// AV_NOPTS_VALUE is a macro of a cast expression.
static inline int64_t cp_nopts_value(void) { return AV_NOPTS_VALUE; }

// av_err2str is a macro over a compound literal.
static inline void cp_strerror(int code, char *buffer, size_t size) {
    av_strerror(code, buffer, size);
}

// The log callback receives a va_list, which Swift cannot forward: this C
// trampoline formats the line with vsnprintf into a stack buffer and hands
// Swift the finished text. FFmpeg may call it from any thread, so the Swift
// sink must be thread-safe; it is set once, before any FFmpeg call.
typedef void (*cp_log_sink)(void *avcl, int level, const char *line);
static cp_log_sink cp_current_log_sink = 0;

static inline void cp_log_trampoline(void *avcl, int level, const char *fmt, va_list vl) {
    if (level > av_log_get_level()) return;
    cp_log_sink sink = cp_current_log_sink;
    if (!sink) return;
    char line[1024];
    vsnprintf(line, sizeof line, fmt, vl);
    sink(avcl, level, line);
}

static inline void cp_install_log_sink(cp_log_sink sink, int level) {
    cp_current_log_sink = sink;
    av_log_set_level(level);
    av_log_set_callback(cp_log_trampoline);
}

#endif
