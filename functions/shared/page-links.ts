// The pages' addresses that emails carry. A token in a link is the secret that lets its holder act on
// one application; nothing else in the address identifies a person.

/** The municipality's status page of its application. */
export function statusUrl(publicUrl: string, application: { applicationId: string; accessToken: string }): string {
  return `${publicUrl}/applications/${encodeURIComponent(application.applicationId)}?token=${encodeURIComponent(application.accessToken)}`;
}

/** Link to answer an open offer (the status page's token grants it). */
export function offerUrl(publicUrl: string, application: { applicationId: string; accessToken: string }): string {
  return `${publicUrl}/applications/${encodeURIComponent(application.applicationId)}/offer?token=${encodeURIComponent(application.accessToken)}`;
}
