; Nimbus Phone NSIS include (electron-builder.yml: nsis.include).
;
; tel:, sip:, sips: and callto: for Windows. electron-builder's `protocols` covers macOS and
; Linux only; on Windows an app is offered in Settings > Apps > Default apps when it declares
; Capabilities\URLAssociations and is listed under RegisteredApplications. Windows 8+ never lets
; an installer take a protocol over: the user chooses there. Where no program handles a scheme
; at all, the scheme's own class is created too (so links work at once); it is removed on
; uninstall only if it still points to us. Per-user install: SHELL_CONTEXT is HKCU.

!include LogicLib.nsh

!define NIMBUS_KEY "Software\NimbusPhone"
!define NIMBUS_CAPABILITIES "Software\NimbusPhone\Capabilities"
!define NIMBUS_COMMAND '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'

!macro nimbusRegisterScheme SCHEME DESCRIPTION
  ; Our ProgID for the scheme (what "Default apps" switches the scheme to).
  WriteRegStr SHELL_CONTEXT "Software\Classes\NimbusPhone.${SCHEME}" "" "${DESCRIPTION}"
  WriteRegStr SHELL_CONTEXT "Software\Classes\NimbusPhone.${SCHEME}" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\NimbusPhone.${SCHEME}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\NimbusPhone.${SCHEME}\shell\open\command" "" '${NIMBUS_COMMAND}'
  WriteRegStr SHELL_CONTEXT "${NIMBUS_CAPABILITIES}\URLAssociations" "${SCHEME}" "NimbusPhone.${SCHEME}"
  ; The scheme's class, only where nothing handles it yet.
  ReadRegStr $0 HKCR "${SCHEME}\shell\open\command" ""
  ${If} $0 == ""
    WriteRegStr SHELL_CONTEXT "Software\Classes\${SCHEME}" "" "URL:${DESCRIPTION}"
    WriteRegStr SHELL_CONTEXT "Software\Classes\${SCHEME}" "URL Protocol" ""
    WriteRegStr SHELL_CONTEXT "Software\Classes\${SCHEME}\shell\open\command" "" '${NIMBUS_COMMAND}'
  ${EndIf}
!macroend

!macro nimbusUnregisterScheme SCHEME
  DeleteRegKey SHELL_CONTEXT "Software\Classes\NimbusPhone.${SCHEME}"
  ReadRegStr $0 SHELL_CONTEXT "Software\Classes\${SCHEME}\shell\open\command" ""
  ${If} $0 == '${NIMBUS_COMMAND}'
    DeleteRegKey SHELL_CONTEXT "Software\Classes\${SCHEME}"
  ${EndIf}
!macroend

!macro customInstall
  WriteRegStr SHELL_CONTEXT "${NIMBUS_CAPABILITIES}" "ApplicationName" "${PRODUCT_NAME}"
  WriteRegStr SHELL_CONTEXT "${NIMBUS_CAPABILITIES}" "ApplicationDescription" "Desktop SIP softphone: calls from tel:, sip: and callto: links"
  WriteRegStr SHELL_CONTEXT "${NIMBUS_CAPABILITIES}" "ApplicationIcon" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  !insertmacro nimbusRegisterScheme "tel" "Telephone number"
  !insertmacro nimbusRegisterScheme "callto" "Call link"
  !insertmacro nimbusRegisterScheme "sip" "SIP address"
  !insertmacro nimbusRegisterScheme "sips" "Secure SIP address"
  WriteRegStr SHELL_CONTEXT "Software\RegisteredApplications" "${PRODUCT_NAME}" "${NIMBUS_CAPABILITIES}"
  ; SHCNE_ASSOCCHANGED: the shell rereads associations.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  !insertmacro nimbusUnregisterScheme "tel"
  !insertmacro nimbusUnregisterScheme "callto"
  !insertmacro nimbusUnregisterScheme "sip"
  !insertmacro nimbusUnregisterScheme "sips"
  DeleteRegValue SHELL_CONTEXT "Software\RegisteredApplications" "${PRODUCT_NAME}"
  DeleteRegKey SHELL_CONTEXT "${NIMBUS_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
