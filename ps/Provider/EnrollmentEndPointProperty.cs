// EnrollmentEndPointProperty.cs: the PKI module's type of a certificate's
// EnrollmentPolicyEndPoint and EnrollmentServerEndPoint (CertificateProperties.cs).
using System;

namespace Microsoft.CertificateServices.Commands;

/// <summary>
/// A certificate's enrollment end point (the PKI type data's EnrollmentPolicyEndPoint and
/// EnrollmentServerEndPoint). Self-signed and imported certificates have none: empty.
/// </summary>
public sealed class EnrollmentEndPointProperty
{
    public Uri? Url { get; set; }
    public string? AuthenticationType { get; set; }
}
