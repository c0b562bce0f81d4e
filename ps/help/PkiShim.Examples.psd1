# PkiShim.Examples.psd1: the help examples of each command (Get-Help -Examples)
# and the Windows reference page -Online opens (HelpUri). Written for this
# project, after the common cases of ../shared/reference/script-corpus.md;
# Build-PkiShimModule.ps1 puts them into the generated functions' help.
@{
	'New-SelfSignedCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/new-selfsignedcertificate'
		Examples = @(
			@{ Code = 'New-SelfSignedCertificate -DnsName "www.fabrikam.com", "www.contoso.com" -CertStoreLocation "Cert:\LocalMachine\My"'
			   Remarks = 'Makes an SSL server certificate for two names (the first is the subject) in the LocalMachine\My store; the key is RSA 2048 unless -KeyAlgorithm says otherwise.' }
			@{ Code = '$cert = New-SelfSignedCertificate -Subject "CN=My Root" -KeyUsage CertSign, CRLSign, DigitalSignature -TextExtension "2.5.29.19={critical}{text}ca=1" -CertStoreLocation Cert:\CurrentUser\My'
			   Remarks = 'Makes a CA certificate: key usages as an array (not one "a,b" string), basic constraints through -TextExtension. -KeyUsage also takes Windows'' numbers: 128 is DigitalSignature.' }
			@{ Code = 'New-SelfSignedCertificate -Subject "CN=leaf" -DnsName leaf.example -Signer $cert -KeyAlgorithm ECDSA_nistP256 -NotAfter (Get-Date).AddYears(2) -CertStoreLocation Cert:\CurrentUser\My'
			   Remarks = 'Makes an ECDSA certificate signed by the CA above, valid for two years.' }
			@{ Code = 'New-SelfSignedCertificate -Type CodeSigningCert -Subject "CN=Code Signing" -KeyExportPolicy Exportable -CertStoreLocation Cert:\CurrentUser\My'
			   Remarks = 'Makes a code-signing certificate whose key can be exported with Export-PfxCertificate.' }
		)
	}
	'Export-PfxCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/export-pfxcertificate'
		Examples = @(
			@{ Code = '$pw = ConvertTo-SecureString -String "1234" -Force -AsPlainText
Get-ChildItem -Path Cert:\LocalMachine\My\EEDEF61D4FF6EDBAAD538BB08CCAADDC3EE28FF | Export-PfxCertificate -FilePath C:\mypfx.pfx -Password $pw'
			   Remarks = 'Exports one store certificate with its private key, protected by a password.' }
			@{ Code = 'Export-PfxCertificate -Cert $cert -FilePath ./site.pfx -Password $pw -ChainOption EndEntityCertOnly -CryptoAlgorithmOption AES256_SHA256'
			   Remarks = 'Exports a certificate object without its chain, encrypted with AES-256 and SHA-256 instead of the default TripleDES_SHA1.' }
			@{ Code = 'try { Export-PfxCertificate -Cert $cert -FilePath ./out/site.pfx -Password $pw -ErrorAction Stop } catch [System.IO.DirectoryNotFoundException] { "Create ./out first." }'
			   Remarks = 'Failures are errors scripts can branch on: a missing folder is a DirectoryNotFoundException, a key that may not leave is a Win32Exception.' }
		)
	}
	'Export-Certificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/export-certificate'
		Examples = @(
			@{ Code = 'Export-Certificate -Cert Cert:\LocalMachine\My\EEDEF61D4FF6EDBAAD538BB08CCAADDC3EE28FF -FilePath ./site.cer'
			   Remarks = 'Writes the certificate, without its key, as DER (the default -Type CERT).' }
			@{ Code = 'Get-ChildItem -Path Cert:\CurrentUser\My | Export-Certificate -FilePath ./all.sst -Type SST'
			   Remarks = 'Writes every certificate of a store into one serialized store file.' }
			@{ Code = 'Export-Certificate -Cert $cert -FilePath ./site.p7b -Type p7b'
			   Remarks = 'Writes a PKCS #7 file; enum values are case-insensitive.' }
		)
	}
	'Import-PfxCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/import-pfxcertificate'
		Examples = @(
			@{ Code = '$pw = ConvertTo-SecureString -String "1234" -Force -AsPlainText
Import-PfxCertificate -FilePath ./site.pfx -CertStoreLocation Cert:\LocalMachine\My -Password $pw'
			   Remarks = 'Imports the certificates and key of a PFX file into a store and outputs them.' }
			@{ Code = 'Import-PfxCertificate -FilePath ./site.pfx -CertStoreLocation Cert:\CurrentUser\My -Password $pw -Exportable'
			   Remarks = 'Imports the key so that it can be exported again.' }
			@{ Code = 'try { Import-PfxCertificate -FilePath ./site.pfx -CertStoreLocation Cert:\CurrentUser\My -Password $pw -ErrorAction Stop } catch [System.Security.Cryptography.CryptographicException] { "Wrong password." }'
			   Remarks = 'A wrong password is a CryptographicException ("The specified network password is not correct.").' }
		)
	}
	'Import-Certificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/import-certificate'
		Examples = @(
			@{ Code = 'Import-Certificate -FilePath ./root.cer -CertStoreLocation Cert:\LocalMachine\Root'
			   Remarks = 'Trusts a root certificate (DER or PEM file).' }
			@{ Code = 'Import-Certificate -FilePath ./chain.p7b -CertStoreLocation Cert:\CurrentUser\CA'
			   Remarks = 'Imports every certificate of a PKCS #7 file.' }
		)
	}
	'Get-PfxCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/get-pfxcertificate'
		Examples = @(
			@{ Code = 'Get-PfxCertificate -FilePath ./site.cer'
			   Remarks = 'Reads a certificate file and outputs an X509Certificate2.' }
			@{ Code = 'Get-PfxCertificate -FilePath ./site.pfx -Password (Read-Host -AsSecureString) | Select-Object Subject, Thumbprint, NotAfter'
			   Remarks = 'Reads a protected PFX file.' }
			@{ Code = 'Get-PfxCertificate -FilePath ./*.cer -ErrorAction SilentlyContinue'
			   Remarks = 'Reads every .cer file; a file that cannot be read is a non-terminating error, the others are still output.' }
		)
	}
	'Get-StoreCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/about/about_certificate_provider'
		Examples = @(
			@{ Code = 'Get-ChildItem -Path Cert:\CurrentUser\My'
			   Remarks = 'Get-ChildItem, Get-Item, Test-Path and Remove-Item run this command for Cert:\ paths: this lists one store.' }
			@{ Code = 'Get-ChildItem -Path Cert:\ -Recurse -DnsName "*.contoso.com" -ExpiringInDays 30'
			   Remarks = 'Finds the certificates for a domain that expire within 30 days, in every store.' }
			@{ Code = 'Get-StoreCertificate -Path Cert:\LocalMachine\My\EEDEF61D4FF6EDBAAD538BB08CCAADDC3EE28FF -Item'
			   Remarks = 'Gets one certificate by its path, as Get-Item does.' }
		)
	}
	'Remove-StoreCertificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/about/about_certificate_provider'
		Examples = @(
			@{ Code = 'Remove-Item -Path Cert:\CurrentUser\My\EEDEF61D4FF6EDBAAD538BB08CCAADDC3EE28FF -DeleteKey'
			   Remarks = 'Removes a certificate and its private key from a store (Remove-Item runs this command for Cert:\ paths).' }
			@{ Code = 'Get-ChildItem Cert:\CurrentUser\My | Where-Object NotAfter -lt (Get-Date) | Remove-Item -WhatIf'
			   Remarks = 'Shows which expired certificates would be removed.' }
		)
	}
	'Get-ServiceCertificate' = @{
		Examples = @(
			@{ Code = 'Get-ServiceCertificate -Path ./ServiceConfiguration.Cloud.cscfg'
			   Remarks = 'Lists the certificates (role, name, thumbprint) a service configuration file names.' }
			@{ Code = 'Get-ServiceCertificate -Path ./ServiceDefinition.csdef | Where-Object StoreLocation -eq LocalMachine'
			   Remarks = 'Lists the certificates a service definition declares, with their stores.' }
		)
	}
	'Set-ServiceCertificate' = @{
		Examples = @(
			@{ Code = '$cert = New-SelfSignedCertificate -DnsName myservice.cloudapp.net -CertStoreLocation Cert:\CurrentUser\My
Set-ServiceCertificate -Path ./ServiceConfiguration.Cloud.cscfg -Name SSL -Thumbprint $cert.Thumbprint'
			   Remarks = 'Puts a new certificate''s thumbprint into every role''s SSL entry, changing nothing else in the file.' }
			@{ Code = 'Set-ServiceCertificate -Path ./ServiceConfiguration.Cloud.cscfg -Role WebRole1 -Name SSL -Thumbprint $cert.Thumbprint -WhatIf'
			   Remarks = 'Shows what would change for one role.' }
		)
	}
	'Test-ServiceCertificate' = @{
		Examples = @(
			@{ Code = 'Test-ServiceCertificate -ConfigurationPath ./ServiceConfiguration.Cloud.cscfg -DefinitionPath ./ServiceDefinition.csdef'
			   Remarks = 'Checks that the .cscfg gives every certificate the .csdef needs, in the same role, with a well-formed thumbprint.' }
			@{ Code = 'Test-ServiceCertificate -PfxPath ./my-cert-file.pfx -Password $pw -Domain www.contoso.com -ConfigurationPath ./ServiceConfiguration.Cloud.cscfg'
			   Remarks = 'Says, one line per rule, whether Azure Cloud Services accepts the PFX: key exchange, 2048 bits, TripleDES encryption, the domain, expiry, and the .cscfg naming its thumbprint.' }
			@{ Code = 'if (-not (Test-ServiceCertificate -ConfigurationPath ./c.cscfg -DefinitionPath ./d.csdef -ErrorAction SilentlyContinue)) { "Fix the certificates first." }'
			   Remarks = 'Uses the result in a deployment script.' }
		)
	}
	'Get-PfxData' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/get-pfxdata'
		Examples = @(
			@{ Code = '$data = Get-PfxData -FilePath ./site.pfx -Password $pw
$data.EndEntityCertificates[0].Thumbprint'
			   Remarks = 'Reads a PFX file without importing it and shows the thumbprint of its end-entity certificate.' }
			@{ Code = 'Get-PfxData -FilePath ./old.pfx -Password $old | Export-PfxCertificate -FilePath ./new.pfx -Password $new -CryptoAlgorithmOption TripleDES_SHA1'
			   Remarks = 'Re-encrypts a PFX with a new password and the encryption Azure Cloud Services needs.' }
		)
	}
	'Test-Certificate' = @{
		HelpUri = 'https://learn.microsoft.com/powershell/module/pki/test-certificate'
		Examples = @(
			@{ Code = 'Get-ChildItem Cert:\LocalMachine\My\EEDEF61D4FF6EDBAAD538BB08CCAADDC3EE28FF | Test-Certificate -Policy SSL -DNSName www.contoso.com'
			   Remarks = 'Checks the chain, the validity period, the server authentication EKU and the name; writes True or False with Windows'' warnings.' }
			@{ Code = 'Test-Certificate -Cert $cert -AllowUntrustedRoot'
			   Remarks = 'Checks a self-signed certificate without requiring its root in the Root store.' }
		)
	}
}
