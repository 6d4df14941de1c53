-- wrk script of bench/large.sh: every request POSTs a 1 MiB body (the upstream reads it whole and answers its digest).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = string.rep("x", 1048576)
