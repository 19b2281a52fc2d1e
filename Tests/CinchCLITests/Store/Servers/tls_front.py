"""A TLS front for a plain HTTP server on loopback, for the AWS backend's TLS options.

    tls_front.py DIR TARGET_PORT   terminates TLS with a certificate made for 127.0.0.1 (its
                                   authority written to DIR/ca.pem) and relays each connection
                                   to 127.0.0.1:TARGET_PORT (moto_server)
    tls_front.py DIR silent        accepts connections and never answers (a read timeout)

Prints the port it listens on, then serves until killed.
"""
import os
import socket
import ssl
import subprocess
import sys
import threading


def relay(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(connection, target_port, context):
    try:
        secure = context.wrap_socket(connection, server_side=True)
    except (ssl.SSLError, OSError):
        connection.close()
        return
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=relay, args=(upstream, secure), daemon=True).start()
    relay(secure, upstream)


def main():
    directory, target = sys.argv[1], sys.argv[2]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    if target == "silent":
        print(listener.getsockname()[1], flush=True)
        held = []
        while True:
            held.append(listener.accept()[0])
    certificate = os.path.join(directory, "ca.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
         certificate, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    print(listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(
            target=serve, args=(connection, int(target), context), daemon=True).start()


if __name__ == "__main__":
    main()
