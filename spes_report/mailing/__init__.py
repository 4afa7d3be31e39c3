"""The month's email: wording, templates, the MIME message (.eml) and SMTP sending.

Named ``mailing`` rather than ``email`` so that it can never shadow the
standard library's ``email`` package.
"""
