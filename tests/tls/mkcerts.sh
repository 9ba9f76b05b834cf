#!/bin/sh
# mkcerts.sh DIR: a throw-away PKI for the TLS tests, made with certtool
# (gnutls-bin). Everything lands in DIR (created if missing):
#
#   DIR/server/       cacert.pem servercert.pem serverkey.pem crl.pem cacrl.pem
#                     (server cert: CN=localhost, SAN DNS localhost, IP 127.0.0.1, ::1)
#   DIR/server-wrong/ the same CA, but a server cert for wrong.example.org / 10.9.9.9
#   DIR/<client>/     a pkipath directory as libvirt's clients expect it:
#                     cacert.pem clientcert.pem clientkey.pem
#       good       C=GB,O=Acme,CN=client1            trusted, valid
#       untrusted  C=GB,O=Acme,CN=client-untrusted   signed by another CA
#       expired    C=GB,O=Acme,CN=client-expired     validity ended in 2002
#       baddn      C=GB,O=Other,CN=intruder          trusted, DN not allowed
#       revoked    C=GB,O=Acme,CN=client-revoked     trusted, on the CRL
#
# The tests allow "C=GB,O=Acme,CN=client*". Exit 77 when certtool is missing.
set -eu

dir=${1:?usage: mkcerts.sh DIR}
if ! command -v certtool >/dev/null 2>&1; then
    echo "mkcerts.sh: certtool not found (install gnutls-bin)" >&2
    exit 77
fi
mkdir -p "$dir"
cd "$dir"
mkdir -p work
w=work

key() {
    certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$1" >/dev/null 2>&1
}

# Two CAs: the trusted one and a stranger.
key $w/cakey.pem
key $w/otherkey.pem
cat > $w/ca.info <<T
cn = virtnet test CA
organization = Acme
country = GB
ca
cert_signing_key
crl_signing_key
expiration_days = 3650
T
certtool --generate-self-signed --load-privkey $w/cakey.pem --template $w/ca.info \
    --outfile $w/cacert.pem >/dev/null 2>&1
sed 's/virtnet test CA/untrusted test CA/' $w/ca.info > $w/other.info
certtool --generate-self-signed --load-privkey $w/otherkey.pem --template $w/other.info \
    --outfile $w/othercert.pem >/dev/null 2>&1

# Server certificates.
key $w/serverkey.pem
server() {  # name template-extra
    cat > $w/$1.info <<T
organization = Acme
country = GB
tls_www_server
encryption_key
signing_key
expiration_days = 3650
$2
T
    certtool --generate-certificate --load-privkey $w/serverkey.pem \
        --load-ca-certificate $w/cacert.pem --load-ca-privkey $w/cakey.pem \
        --template $w/$1.info --outfile $w/$1.pem >/dev/null 2>&1
}
server servercert 'cn = localhost
dns_name = localhost
ip_address = 127.0.0.1
ip_address = ::1'
server wrongcert 'cn = wrong.example.org
dns_name = wrong.example.org
ip_address = 10.9.9.9'

# Clients: one key for all of them (only the certificates differ).
key $w/clientkey.pem
client() {  # name dn-lines cakey cacert extra
    cat > $w/$1.info <<T
$2
tls_www_client
encryption_key
signing_key
$5
T
    certtool --generate-certificate --load-privkey $w/clientkey.pem \
        --load-ca-certificate "$4" --load-ca-privkey "$3" \
        --template $w/$1.info --outfile $w/$1.pem >/dev/null 2>&1
    mkdir -p "$1"
    cp $w/cacert.pem "$1/cacert.pem"
    cp $w/$1.pem "$1/clientcert.pem"
    cp $w/clientkey.pem "$1/clientkey.pem"
}
acme='country = GB
organization = Acme'
client good "$acme
cn = client1" $w/cakey.pem $w/cacert.pem 'expiration_days = 3650'
client untrusted "$acme
cn = client-untrusted" $w/otherkey.pem $w/othercert.pem 'expiration_days = 3650'
client expired "$acme
cn = client-expired" $w/cakey.pem $w/cacert.pem 'activation_date = "2001-01-01 00:00:00"
expiration_date = "2002-01-01 00:00:00"'
client baddn 'country = GB
organization = Other
cn = intruder' $w/cakey.pem $w/cacert.pem 'expiration_days = 3650'
client revoked "$acme
cn = client-revoked" $w/cakey.pem $w/cacert.pem 'expiration_days = 3650'

# The CRL revokes the "revoked" client.
cat > $w/crl.info <<T
crl_next_update = 3650
crl_number = 1
T
certtool --generate-crl --load-ca-privkey $w/cakey.pem --load-ca-certificate $w/cacert.pem \
    --load-certificate revoked/clientcert.pem --template $w/crl.info \
    --outfile $w/crl.pem >/dev/null 2>&1

for d in server server-wrong; do
    mkdir -p $d
    cp $w/cacert.pem $w/crl.pem $d/
    cp $w/crl.pem $d/cacrl.pem
    cp $w/serverkey.pem $d/serverkey.pem
done
cp $w/servercert.pem server/servercert.pem
cp $w/wrongcert.pem server-wrong/servercert.pem
echo "mkcerts.sh: certificates in $PWD"
