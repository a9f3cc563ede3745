/* net.c - closeloop-net.so's table of senders (notify_int.h, module.h). */
#include <curl/curl.h>
#include <pthread.h>

#include "notify_int.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode started;

static void
start_once(void)
{
    started = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* curl_global_init is not thread-safe before libcurl 7.84: the server's
   delivery thread and a request may both be the first to send. */
static cl_err
start(cl_error *err)
{
    pthread_once(&once, start_once);
    return started == CURLE_OK
               ? CL_OK
               : cl_error_set(err, CL_EIO, "cannot initialise libcurl");
}

const cl__net_api cl__net_module = {start, cl__smtp_send, cl__webhook_send,
                                    cl__chat_send, cl__crm_send};
