#!/usr/bin/env python3
"""CPU µs per request of the request threads by component, from bench/perf-profile.py's ap.collapsed.

usage: bench/ap-components.py OUT_DIR
  Each async-profiler stack (a sample per 500 µs of CPU) goes to the innermost frame that names one
  of the components below, so kernel frames count under the Java frame that made the system call;
  the kernel's part of each component is shown beside it. Request threads are the ones named
  wsgi4j-N (ours) or bench-N (raw Jetty); the request count is summary.txt's async-profiler run.
"""
import collections, re, sys

COMPONENTS = [
    ("observer (access log line, metrics)", r"Recorder|AccessLog|Metrics|RequestObserver"),
    ("environ (CoreGateway.environ, EnvironBuilder, RequestTarget)",
     r"CoreGateway\.environ|CoreGateway\.refused|EnvironBuilder|RequestTarget|HeaderKeys|EnvironMap|Addresses"),
    ("middleware and app (UrlMap, ProxyHeaders, BodyLimit, BenchApp)", r"BenchApp|UrlMap|BodyLimit|ProxyHeaders"),
    ("Jetty: socket write", r"SocketChannelImpl\.write|IOUtil\.write|ChannelEndPoint\.flush"),
    ("Jetty: socket read", r"SocketChannelImpl\.read|ChannelEndPoint\.fill|IOUtil\.read"),
    ("Jetty: response write, generate, complete",
     r"HttpGenerator|HttpConnection\$SendCallback|ChannelResponse\.write|HttpChannelState|WriteFlusher|Response\.write"),
    ("sink (CoreSink)", r"CoreSink"),
    ("engine (ResponseEngine, HttpSyntax)", r"ResponseEngine|HttpSyntax|ResponseHead"),
    ("CoreGateway.handle, the rest", r"CoreGateway"),
    ("environ, servlet side (ServletEnviron, Container.headers, Jetty's request getters)",
     r"ServletEnviron|Container\.headers"),
    ("sink (ServletSink: status, headers, output stream)", r"ServletSink|Container\.writeAndFlush"),
    ("GatewayServlet.service, the rest", r"GatewayServlet"),
    ("the handler (raw Jetty's AnchorServlet, jetty-core's HelloHandler)", r"JettyAnchor"),
    ("Jetty: servlet layer (ServletChannel, ServletHandler, ServletHolder, HttpServlet.service)",
     r"ServletChannel|ServletHandler|ServletHolder|HttpServlet\.service"),
    ("Jetty: contexts (ContextHandlerCollection, ContextHandler scope)", r"ContextHandler"),
    ("Jetty: handler chain (GracefulHandler, HttpLimits)",
     r"GracefulHandler|HttpLimits|MinimumRequestDataRate|Server\.handle|Handler\$Wrapper"),
    ("Jetty: parse (HttpParser)", r"HttpParser|HttpConnection\.onFillable|HttpConnection\.parse"),
    ("Jetty: selector, threads", r"ManagedSelector|EPoll|SelectorManager|QueuedThreadPool|AdaptiveExecutionStrategy|Thread\.run"),
]


def main(out):
    n = int(re.search(r"async-profiler run (\d+) requests", open(f"{out}/summary.txt").read()).group(1))
    total, share, kernel = 0, collections.Counter(), collections.Counter()
    for line in open(f"{out}/ap.collapsed"):
        stack, count = line.rstrip().rsplit(" ", 1)
        frames, count = stack.split(";"), int(count)
        if not re.match(r"(wsgi4j|bench)-?\d+$", re.sub(r" tid=\d+", "", frames[0].strip("[]"))):
            continue
        total += count
        name = next((c for f in reversed(frames[1:]) for c, p in COMPONENTS if re.search(p, f)), "other")
        share[name] += count
        if frames[-1].endswith("_[k]"):
            kernel[name] += count
    us = lambda c: c * 500 / n
    print(f"{out}: {n} requests, request threads {us(total):.2f} µs per request"
          f" (user space {us(total - sum(kernel.values())):.2f})")
    for name, count in share.most_common():
        print(f"  {us(count):6.2f}  (kernel {us(kernel[name]):5.2f})  {name}")


if len(sys.argv) != 2:
    sys.exit(__doc__)
main(sys.argv[1])
