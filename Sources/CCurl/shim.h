#ifndef CAMPROBE_CCURL_SHIM_H
#define CAMPROBE_CCURL_SHIM_H

// The one door from Swift into libcurl. Swift cannot call C variadic functions,
// and curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are all declared
// `(handle, option, ...)`. Each wrapper below fixes the type of the one variadic
// argument, as curl's contract requires per option ("the argument is a long /
// a char * / a function pointer / a void *"); passing the wrong type through
// `...` is undefined behaviour, so every option is set through the wrapper of
// its documented type.

#include <curl/curl.h>

// Options documented as taking a `long` (CURLOPT_POST, CURLOPT_NOSIGNAL,
// CURLOPT_FOLLOWLOCATION, CURLOPT_SSL_VERIFYPEER, CURLOPT_TIMEOUT_MS, ...).
// A Swift Int is 64-bit and so is long on LP64 Linux, but curl reads exactly a
// `long` from the va_list, so the type is fixed here.
static inline CURLcode camprobe_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

// Options documented as taking a `char *` (CURLOPT_URL, CURLOPT_CAINFO,
// CURLOPT_USERAGENT, CURLOPT_PROTOCOLS_STR, CURLOPT_PROXY, ...). Since 7.17.0
// curl copies these strings, so the Swift buffer may die after the call.
// CURLOPT_POSTFIELDS is the exception (not copied): use CURLOPT_COPYPOSTFIELDS.
static inline CURLcode camprobe_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

// Options documented as taking a pointer to caller-owned memory that must
// outlive the transfer (CURLOPT_ERRORBUFFER, CURLOPT_WRITEDATA,
// CURLOPT_HEADERDATA, CURLOPT_HTTPHEADER's curl_slist *, CURLOPT_COPYPOSTFIELDS).
static inline CURLcode camprobe_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION take a function pointer of
// type curl_write_callback; a function pointer and a void * need not share a
// representation, so it gets its own typed wrapper.
static inline CURLcode camprobe_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

// CURLOPT_POSTFIELDSIZE_LARGE takes a curl_off_t (64-bit), not a long.
static inline CURLcode camprobe_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

// CURLINFO_RESPONSE_CODE and CURLINFO_OS_ERRNO write a `long` through a `long *`.
static inline CURLcode camprobe_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

// CURLINFO_CONNECT_TIME_T and the other *_T timings write a curl_off_t
// (microseconds) through a `curl_off_t *`.
static inline CURLcode camprobe_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

// curl_multi_setopt is variadic too; CURLMOPT_MAXCONNECTS and
// CURLMOPT_MAX_TOTAL_CONNECTIONS take a `long`.
static inline CURLMcode camprobe_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// CURLMsg carries its result in an anonymous-typed union member `data`; reading
// it in C keeps Swift independent of how the union is imported.
static inline CURLcode camprobe_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

// CURL_ERROR_SIZE is a macro: the minimum size of a CURLOPT_ERRORBUFFER.
static inline size_t camprobe_curl_error_size(void) {
    return CURL_ERROR_SIZE;
}

#endif
