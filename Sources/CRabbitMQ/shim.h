#ifndef CAMPROBE_CRABBITMQ_SHIM_H
#define CAMPROBE_CRABBITMQ_SHIM_H

// The one door from Swift into librabbitmq (rabbitmq-c 0.11; Debian installs the
// headers flat in /usr/include). Each helper below exists because Swift cannot
// import what it wraps: a variadic function or a macro that is a cast expression.

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <stdint.h>

// amqp_login_with_properties is variadic (the SASL arguments follow the method),
// so Swift cannot call it. PLAIN takes exactly (user, password).
// The client properties advertise the "connection.blocked" capability: without it
// RabbitMQ never tells a publisher that it stopped reading its socket (memory or
// disk alarm), and amqp_basic_publish then blocks without a deadline.
static inline amqp_rpc_reply_t cp_amqp_login_plain(amqp_connection_state_t state,
                                                   const char *vhost, int channel_max,
                                                   int frame_max, int heartbeat,
                                                   const char *user, const char *password) {
    amqp_table_entry_t capabilities[1];
    capabilities[0].key = amqp_cstring_bytes("connection.blocked");
    capabilities[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
    capabilities[0].value.value.boolean = 1;
    amqp_table_t capabilities_table = { 1, capabilities };
    amqp_table_entry_t properties[1];
    properties[0].key = amqp_cstring_bytes("capabilities");
    properties[0].value.kind = AMQP_FIELD_KIND_TABLE;
    properties[0].value.value.table = capabilities_table;
    amqp_table_t properties_table = { 1, properties };
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat,
                                      &properties_table, AMQP_SASL_METHOD_PLAIN, user, password);
}

// The method numbers are macros of cast expressions, e.g.
// `#define AMQP_BASIC_ACK_METHOD ((amqp_method_number_t)0x003C0050)`.
static inline amqp_method_number_t cp_basic_ack_method(void) { return AMQP_BASIC_ACK_METHOD; }
static inline amqp_method_number_t cp_basic_nack_method(void) { return AMQP_BASIC_NACK_METHOD; }
static inline amqp_method_number_t cp_basic_get_ok_method(void) { return AMQP_BASIC_GET_OK_METHOD; }
static inline amqp_method_number_t cp_basic_get_empty_method(void) { return AMQP_BASIC_GET_EMPTY_METHOD; }
static inline amqp_method_number_t cp_channel_close_method(void) { return AMQP_CHANNEL_CLOSE_METHOD; }
static inline amqp_method_number_t cp_channel_close_ok_method(void) { return AMQP_CHANNEL_CLOSE_OK_METHOD; }
static inline amqp_method_number_t cp_connection_close_method(void) { return AMQP_CONNECTION_CLOSE_METHOD; }
static inline amqp_method_number_t cp_connection_close_ok_method(void) { return AMQP_CONNECTION_CLOSE_OK_METHOD; }
static inline amqp_method_number_t cp_connection_blocked_method(void) { return AMQP_CONNECTION_BLOCKED_METHOD; }
static inline amqp_method_number_t cp_connection_unblocked_method(void) { return AMQP_CONNECTION_UNBLOCKED_METHOD; }

#endif
