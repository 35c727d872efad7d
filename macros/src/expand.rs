//! Code generation. Reads only the checked model.
//!
//! Generated code names the facade through `#krate` (default `::graph_entity`): public items by
//! their public path, helpers through the hidden `__private` module. Everything that is not
//! user-facing sits inside `const _: () = { ... };`. Logic lives once in generic runtime
//! functions; what is generated per type is the part that must know the fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::attr::is_graph_attr;
use crate::model::{Entity, Enum};
use crate::symbol::ODATA_TYPE_PROPERTY;
use crate::template::Part;

/// The input item with our `#[graph(...)]` helper attributes removed: attribute macros cannot
/// declare helper attributes, so they must not reach the compiler.
pub(crate) fn strip_helper_attrs(input: &DeriveInput) -> DeriveInput {
    let mut item = input.clone();
    match &mut item.data {
        Data::Struct(data) => strip_fields(&mut data.fields),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                variant.attrs.retain(|a| !is_graph_attr(a));
                strip_fields(&mut variant.fields);
            }
        }
        Data::Union(data) => {
            for field in &mut data.fields.named {
                field.attrs.retain(|a| !is_graph_attr(a));
            }
        }
    }
    item
}

fn strip_fields(fields: &mut Fields) {
    for field in fields.iter_mut() {
        field.attrs.retain(|a| !is_graph_attr(a));
    }
}

/// Wraps impls in an anonymous constant, with the lints generated code must not trigger.
fn wrap_in_const(body: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(
            non_upper_case_globals,
            unused_qualifications,
            clippy::needless_lifetimes,
            clippy::used_underscore_binding
        )]
        const _: () = {
            #body
        };
    }
}

pub(crate) fn entity(entity: &Entity) -> TokenStream {
    let item = strip_helper_attrs(entity.input);
    let ident = &entity.input.ident;
    let krate = &entity.krate;
    let private = quote!(#krate::__private);
    let odata_type = &entity.odata_type;
    let args = &entity.args;
    let placeholders: Vec<&str> =
        entity.template.as_ref().map(|t| t.placeholders().collect()).unwrap_or_default();
    // The trait that carries `PROPERTIES`.
    let shape = match &entity.complex {
        Some(_) => quote!(#krate::GraphComplex),
        None => quote!(#krate::GraphEntity),
    };
    // Entities write `@odata.type` first; complex values only when declared with `odata_type`.
    let write_type = entity.complex.as_ref().is_none_or(|c| c.write_type);
    let (len_start, type_entry) = if write_type {
        (quote!(1), quote!(__map.serialize_entry(#ODATA_TYPE_PROPERTY, #odata_type)?;))
    } else {
        (quote!(0), quote!())
    };

    let declared: Vec<_> = entity.fields.iter().filter(|f| !f.extra).collect();
    let extra = entity.fields.iter().find(|f| f.extra);
    let json_names: Vec<&str> = declared.iter().map(|f| f.json.as_str()).collect();
    // Where the entity exists; an unchecked one keeps the trait's default (everywhere).
    let availability = entity.availability.as_ref().map(|(bits, missing)| {
        let (cloud_bits, parts): (Vec<u8>, Vec<&str>) =
            missing.iter().map(|(bit, what)| (*bit, what.as_str())).unzip();
        quote! {
            const AVAILABILITY: #krate::Availability =
                #krate::Availability::__new(#bits, &[#((#cloud_bits, #parts)),*]);
        }
    });

    // --- validate() ---
    let require = declared.iter().filter(|f| f.required_on_create).map(|f| {
        let (name, json) = (f.ident, &f.json);
        quote!(__v.require(#json, #private::Option::is_some(&self.#name));)
    });
    // Every use of the extra field goes through `extra::<T>()` at the type's span: one error
    // for a wrong type, not one per use.
    let extra_access = extra.map(|f| {
        let ty = f.ty;
        quote_spanned!(ty.span()=> #private::extra::<#ty>())
    });
    let extra_get = extra.map(|f| {
        let name = f.ident;
        quote!((#extra_access.get)(&self.#name))
    });
    let check_extra =
        extra_get.as_ref().map(|get| quote!(__v.extra(#get, <Self as #shape>::PROPERTIES);));

    // --- create() ---
    let create_doc = create_doc(entity, &placeholders);

    // --- Serialize --- (everything; a request body leaves out what the service computes)
    let count = declared.iter().map(|f| {
        let name = f.ident;
        let one = if f.optional {
            quote!(#private::usize::from(#private::Option::is_some(&self.#name)))
        } else {
            quote!(1)
        };
        if f.computed { quote!(+ if __body { 0 } else { #one }) } else { quote!(+ #one) }
    });
    let count_extra = extra_get.as_ref().map(|get| quote!(+ #get.len()));
    let write = declared.iter().map(|f| {
        let (name, json) = (f.ident, &f.json);
        let entry = if f.optional {
            quote! {
                if let #private::Some(__value) = &self.#name {
                    __map.serialize_entry(#json, __value)?;
                }
            }
        } else {
            quote!(__map.serialize_entry(#json, &self.#name)?;)
        };
        if f.computed { quote!(if !__body { #entry }) } else { entry }
    });
    let body_flag = if declared.iter().any(|f| f.computed) { quote!(__body) } else { quote!(_) };
    let write_extra = extra_get.as_ref().map(|get| {
        quote! {
            #private::serialize_extra::<__S>(&mut __map, #get, <Self as #shape>::PROPERTIES)?;
        }
    });

    // --- Deserialize ---
    let slots: Vec<_> = (0..declared.len()).map(|i| format_ident!("__f{}", i)).collect();
    let slot_decls = declared.iter().zip(&slots).map(|(f, slot)| {
        let ty = f.ty;
        quote!(let mut #slot: #private::Option<#ty> = #private::None;)
    });
    let arms = declared.iter().zip(&slots).enumerate().map(|(i, (f, slot))| {
        let json = &f.json;
        quote!(#private::Property::Declared(#i) => #private::next_value(&mut __map, &mut #slot, #json)?,)
    });
    let keep_unknown = extra.is_some();
    let extra_decl = extra.map(|_| quote!(let mut __extra = #private::Map::new();));
    let unknown_arm = if keep_unknown {
        quote!(#private::Property::Unknown(__name) => #private::next_extra(&mut __map, &mut __extra, __name)?,)
    } else {
        quote!()
    };
    let required: Vec<_> =
        declared.iter().zip(&slots).filter(|(f, _)| f.required_on_read()).collect();
    let required_slots: Vec<_> = required.iter().map(|(_, s)| *s).collect();
    let required_json: Vec<_> = required.iter().map(|(f, _)| f.json.as_str()).collect();
    let init = entity.fields.iter().map(|f| {
        let name = f.ident;
        if f.extra {
            quote!(#name: (#extra_access.build)(__extra))
        } else {
            let slot = &slots[declared.iter().position(|d| d.ident == f.ident).unwrap_or_default()];
            if f.optional {
                quote!(#name: #private::Option::flatten(#slot))
            } else {
                quote!(#name: #slot)
            }
        }
    });
    let build = quote!(#private::Ok(#ident { #(#init),* }));
    let finish = if required_slots.is_empty() {
        build
    } else {
        quote! {
            match (#(#required_slots,)*) {
                (#(#private::Some(#required_slots),)*) => #build,
                (#(#required_slots,)*) => #private::Err(#private::missing_properties::<__A::Error>(
                    &[#((#private::Option::is_none(&#required_slots), #required_json)),*],
                )),
            }
        }
    };
    let expecting = format!("a JSON object for {odata_type}");

    // --- the template, split at compile time ---
    let parts: Vec<TokenStream> = entity
        .template
        .iter()
        .flat_map(|t| t.parts.iter())
        .map(|part| match part {
            Part::Literal(text) => quote!(#private::PathPart::Literal(#text)),
            Part::Placeholder(name) => quote!(#private::PathPart::Placeholder(#name)),
        })
        .collect();

    let graph_trait = match (&entity.path, &entity.complex) {
        (_, Some(complex)) => {
            let bases = &complex.bases;
            let graph_name = &bases[0];
            quote! {
                #[automatically_derived]
                impl #krate::GraphComplex for #ident {
                    const GRAPH_NAME: &'static str = #graph_name;
                    const BASES: &'static [&'static str] = &[#(#bases),*];
                    const PROPERTIES: &'static [&'static str] = &[#(#json_names),*];

                    fn validate(&self) -> #private::Result<(), #krate::ValidationError> {
                        #ident::validate(self)
                    }
                }
            }
        }
        (Some(path), None) => quote! {
        #[automatically_derived]
        impl #krate::GraphEntity for #ident {
            const TEMPLATE: #krate::PathTemplate = #krate::PathTemplate::__from_parts(#path, &[#(#parts),*]);
            const ODATA_TYPE: &'static str = #odata_type;
            const PROPERTIES: &'static [&'static str] = &[#(#json_names),*];
            #availability

            fn validate(&self) -> #private::Result<(), #krate::ValidationError> {
                #ident::validate(self)
            }

            fn serialize_body<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                self.__graph_serialize(__serializer, true)
            }
        }
        },
        (None, None) => quote!(),
    };

    let impls = quote! {
        #graph_trait

        #[automatically_derived]
        impl #ident {
            /// The entity's JSON; `__body`: as a request body, without computed properties.
            fn __graph_serialize<__S>(
                &self,
                __serializer: __S,
                #body_flag: bool,
            ) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                use #private::serde::ser::SerializeMap as _;
                let __len = #len_start #(#count)* #count_extra;
                let mut __map = __serializer.serialize_map(#private::Some(__len))?;
                #type_entry
                #(#write)*
                #write_extra
                __map.end()
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                self.__graph_serialize(__serializer, false)
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'de> #private::serde::de::Visitor<'de> for __Visitor {
                    type Value = #ident;

                    fn expecting(&self, __f: &mut #private::fmt::Formatter<'_>) -> #private::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_map<__A>(self, mut __map: __A) -> #private::Result<#ident, __A::Error>
                    where
                        __A: #private::serde::de::MapAccess<'de>,
                    {
                        #(#slot_decls)*
                        #extra_decl
                        let __seed = #private::PropertySeed::new(
                            <#ident as #shape>::PROPERTIES,
                            #keep_unknown,
                        );
                        while let #private::Some(__key) = __map.next_key_seed(__seed)? {
                            match __key {
                                #(#arms)*
                                #unknown_arm
                                _ => __map.next_value::<#private::serde::de::IgnoredAny>().map(|_| ())?,
                            }
                        }
                        #finish
                    }
                }

                __deserializer.deserialize_map(__Visitor)
            }
        }
    };

    let entity_items = entity.path.as_ref().map(|path| {
        let path_doc =
            format!(" The path template of this entity's collection: `{}`.", path.value());
        let odata_doc =
            format!(" The `@odata.type` written first in every request body: `{odata_type}`.");
        quote! {
            #[doc = #path_doc]
            pub const PATH: &'static str = #path;

            #[doc = #odata_doc]
            pub const ODATA_TYPE: &'static str = #odata_type;
        }
    });
    let create = entity.path.as_ref().map(|_| {
        quote! {
            // Only with the facade's `client` feature.
            #private::with_client! {
                #[automatically_derived]
                impl #ident {
                    #(#[doc = #create_doc])*
                    pub async fn create(
                        &self,
                        client: &#krate::Client,
                        #(#args: &str),*
                    ) -> #private::Result<Self, #krate::Error> {
                        #private::create(client, self, &[#(#args),*]).await
                    }
                }
            }
        }
    });
    let mut checks = require.peekable();
    let validate_body = if checks.peek().is_none() && check_extra.is_none() {
        quote!(#private::Ok(()))
    } else {
        quote! {
            let mut __v = #private::Validator::new(#odata_type);
            #(#checks)*
            #check_extra
            __v.finish()
        }
    };
    // Each field of a Graph enum property must be a `#[graph_enum]` of that enum: the type's
    // declaration is out of the macro's sight, so the compiler compares the names.
    let enum_checks = entity.enum_fields.iter().map(|(ty, field, expected)| {
        let message = format!(
            "field `{field}` holds the Graph enum `{expected}`, but its type is a `#[graph_enum]` of another Graph enum"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #private::str_eq(<#ty as #krate::GraphEnum>::GRAPH_NAME, #expected),
                #message
            );
        }
    });
    // Likewise for complex properties: the field's type or a type derived from it.
    let complex_checks = entity.complex_fields.iter().map(|(ty, field, expected)| {
        let message = format!(
            "field `{field}` holds the Graph complex type `{expected}`, but its type is a `#[graph_complex]` of another Graph type"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #private::contains_str(<#ty as #krate::GraphComplex>::BASES, #expected),
                #message
            );
        }
    });
    // At the top level, so that a failed check is reported at the field's type.
    let type_checks: Vec<TokenStream> = enum_checks.chain(complex_checks).collect();
    let wrapped = wrap_in_const(impls);
    quote! {
        #item

        #[automatically_derived]
        impl #ident {
            #entity_items

            /// Checks the rules the compiler cannot: every `#[graph(required)]` property is set
            /// and the extra properties do not shadow declared ones.
            ///
            /// # Errors
            ///
            /// Every problem at once, each property named by its JSON name.
            pub fn validate(&self) -> #private::Result<(), #krate::ValidationError> {
                #validate_body
            }
        }

        #create

        #wrapped

        #(#type_checks)*
    }
}

/// The lines of `create`'s documentation, each a `#[doc]` attribute as `///` writes them.
fn create_doc(entity: &Entity, placeholders: &[&str]) -> Vec<String> {
    let mut doc = vec![
        format!(
            " Creates this entity: validates it, sends `POST {}`,",
            entity.path.as_ref().map(LitStr::value).unwrap_or_default()
        ),
        " and returns the entity the service created.".to_owned(),
    ];
    if !placeholders.is_empty() {
        doc.push(String::new());
        doc.push(
            " Each path argument fills one segment, percent-encoded; it must not be empty:"
                .to_owned(),
        );
        for (arg, name) in entity.args.iter().zip(placeholders) {
            let arg = arg.to_string();
            doc.push(format!(" - `{}` fills `{{{name}}}`", arg.trim_start_matches("r#")));
        }
    }
    doc.extend([
        String::new(),
        " # Errors".to_owned(),
        String::new(),
        " A validation or path error before any I/O, or the error of the request: see `Error`."
            .to_owned(),
    ]);
    doc
}

pub(crate) fn graph_enum(model: &Enum) -> TokenStream {
    let item = strip_helper_attrs(model.input);
    let ident = &model.input.ident;
    let krate = &model.krate;
    let private = quote!(#krate::__private);
    let (other, other_ty) = model.other;
    let idents: Vec<_> = model.members.iter().map(|m| m.ident).collect();
    let wires: Vec<_> = model.members.iter().map(|m| m.wire.as_str()).collect();
    let other_access = quote_spanned!(other_ty.span()=> #private::other::<#other_ty>());
    let graph_name = &model.graph_name;

    let impls = quote! {
        #[automatically_derived]
        impl #krate::GraphEnum for #ident {
            const GRAPH_NAME: &'static str = #graph_name;
            const MEMBERS: &'static [&'static str] = &[#(#wires),*];

            fn from_member(__member: &str) -> #private::Option<Self> {
                match __member {
                    #(#wires => #private::Some(Self::#idents),)*
                    _ => #private::None,
                }
            }

            fn from_unknown(__unknown: #private::String) -> Self {
                Self::#other((#other_access.build)(__unknown))
            }

            fn as_str(&self) -> &str {
                #ident::as_str(self)
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                __serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::deserialize_enum(__deserializer)
            }
        }
    };
    let wrapped = wrap_in_const(impls);
    quote! {
        #item

        #[automatically_derived]
        impl #ident {
            /// The member string Graph uses for this value; an unknown member keeps the string
            /// it was read from.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#other(__unknown) => (#other_access.get)(__unknown),
                }
            }
        }

        #wrapped
    }
}

/// What is emitted when the input has errors: the item itself (without helper attributes) and
/// stand-in items with the same names and signatures, so that the user sees the real errors and
/// not a cascade of "no method named `create`". The bodies never run: the crate does not compile.
pub(crate) fn fallback(
    input: &DeriveInput,
    krate: &TokenStream,
    args: Option<&[syn::Ident]>,
    is_enum: bool,
) -> TokenStream {
    let item = strip_helper_attrs(input);
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return quote!(#item);
    }
    let private = quote!(#krate::__private);
    let serde_impls = quote! {
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, _: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                #private::unreachable!()
            }
        }
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(_: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::unreachable!()
            }
        }
    };
    if is_enum {
        return quote!(#item #serde_impls);
    }
    let create = args.map(|args| {
        quote! {
            #private::with_client! {
                impl #ident {
                    #[allow(unused_variables)]
                    pub async fn create(
                        &self,
                        client: &#krate::Client,
                        #(#args: &str),*
                    ) -> #private::Result<Self, #krate::Error> {
                        #private::unreachable!()
                    }
                }
            }
        }
    });
    quote! {
        #item
        impl #ident {
            pub const PATH: &'static str = "";
            pub const ODATA_TYPE: &'static str = "";
            pub fn validate(&self) -> #private::Result<(), #krate::ValidationError> {
                #private::unreachable!()
            }
        }
        #create
        #serde_impls
    }
}
