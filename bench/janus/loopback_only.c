/* Preloaded into Janus for the benchmark: getifaddrs() reports only 127.0.0.1, without the
   loopback flag, so Janus and libnice offer a loopback candidate (they skip loopback
   interfaces otherwise) and the benchmark's media never leaves the machine. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>

int getifaddrs(struct ifaddrs **list) {
    int (*real)(struct ifaddrs **) = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
    if (real == NULL || real(list) != 0) return -1;
    struct ifaddrs *first = *list, *loopback = NULL;
    for (struct ifaddrs *entry = first; entry != NULL && loopback == NULL; entry = entry->ifa_next) {
        if (entry->ifa_addr != NULL && entry->ifa_addr->sa_family == AF_INET &&
            ((const struct sockaddr_in *)entry->ifa_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
            loopback = entry;
        }
    }
    if (first == NULL || loopback == NULL) return 0;
    /* glibc allocates the list as one block headed by the first entry, which freeifaddrs()
       releases: the loopback entry's fields (pointers into the same block) move there. */
    *first = *loopback;
    first->ifa_next = NULL;
    first->ifa_flags &= ~IFF_LOOPBACK;
    return 0;
}
