"""Namespace URIs, one table, with the prefixes the specs themselves use."""

from __future__ import annotations

XML = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MATHML = "http://www.w3.org/1998/Math/MathML"

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI30 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"

IMSCP11 = "http://www.imsglobal.org/xsd/imscp_v1p1"  # IMS CP 1.1.4, QTI 2.1 packages, SCORM 2004
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
QTI30_CP = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
QTI30_MD = "http://ltsc.ieee.org/xsd/LOM"

SCORM12_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
SCORM12_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
SCORM2004_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
SCORM2004_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
SCORM2004_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
SCORM2004_IMSSS = "http://www.imsglobal.org/xsd/imsss"

CC11_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CC11_LOMMANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
CC11_LOMRESOURCE = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"


def qn(namespace: str, local: str) -> str:
    """Clark notation, the form lxml uses for qualified names."""
    return f"{{{namespace}}}{local}"
